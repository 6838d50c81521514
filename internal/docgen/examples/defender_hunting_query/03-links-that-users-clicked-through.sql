-- title: Links that users clicked through
-- purpose: Count allowed clicks and distinct users per URL in Defender, and return only the top ten.
select
  data ->> 'Url' as url,
  (data ->> 'Clicks')::bigint as clicks,
  (data ->> 'Users')::bigint as users
from
  defender_hunting_query
where
  query = 'UrlClickEvents | where ActionType == "ClickAllowed" | summarize Clicks = count(), Users = dcount(AccountUpn) by Url | top 10 by Clicks'
  and timespan = 'P7D'
order by
  clicks desc;
