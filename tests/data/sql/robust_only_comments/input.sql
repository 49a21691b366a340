-- nothing here
/* a /* nested */ comment */
;;
