SELECT 1 FROM `my-project.raw.loop`;
{% include 'sql/loop.sql' %}{% include 'sql/loop.sql' %}
