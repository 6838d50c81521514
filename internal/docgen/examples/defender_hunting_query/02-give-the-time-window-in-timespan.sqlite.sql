select
  row_number,
  data
from
  defender_hunting_query
where
  query = 'AlertInfo | summarize Alerts = count() by Severity'
  and timespan = 'P7D'
order by
  row_number;
