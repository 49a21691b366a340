INSERT OVERWRITE TABLE ${db}.out SELECT a FROM ${db}.src WHERE dt = '${hiveconf:dt}';
