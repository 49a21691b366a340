SELECT user_id, n FROM `my-project.mart.sessions` WHERE n > 10
