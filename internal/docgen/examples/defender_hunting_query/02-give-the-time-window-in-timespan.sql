-- title: Give the time window in timespan
-- purpose: Set the window in `timespan` rather than in the KQL.
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
