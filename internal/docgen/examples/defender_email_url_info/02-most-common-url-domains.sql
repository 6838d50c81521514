-- title: Most common URL domains
-- purpose: Count URL domains across mail from the last day.
select
  url_domain,
  count(*) as urls
from
  defender_email_url_info
where
  timestamp > now() - interval '1 day'
group by
  url_domain
order by
  urls desc
limit 20;
