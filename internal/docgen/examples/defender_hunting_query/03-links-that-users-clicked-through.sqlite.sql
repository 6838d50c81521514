select
  data ->> 'Url' as url,
  cast(data ->> 'Clicks' as integer) as clicks,
  cast(data ->> 'Users' as integer) as users
from
  defender_hunting_query
where
  query = 'UrlClickEvents | where ActionType == "ClickAllowed" | summarize Clicks = count(), Users = dcount(AccountUpn) by Url | top 10 by Clicks'
  and timespan = 'P7D'
order by
  clicks desc;
