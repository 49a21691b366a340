select * from {{ ref('t') }}
