-- title: Heavy file downloaders
-- purpose: Find accounts that downloaded many files from SharePoint or OneDrive in a day; usually there are none.
-- expect: none
select
  account_display_name,
  count(*) as downloads
from
  defender_cloud_app_events
where
  timestamp > now() - interval '1 day'
  and action_type = 'FileDownloaded'
group by
  account_display_name
having
  count(*) > 500
order by
  downloads desc;
