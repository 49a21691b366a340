-- included from the DAG's configuration
CREATE OR REPLACE TABLE `my-project.mart.top_users` AS
{% include 'sql/top_users_select.sql' %}
