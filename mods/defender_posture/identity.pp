benchmark "identity" {
  title       = "Identity"
  description = "Accounts are not at risk, as Defender for Identity and Entra ID Protection report them in IdentityInfo."
  children = [
    control.identity_risk_level,
    control.identity_not_compromised,
  ]
}

control "identity_risk_level" {
  title       = "Accounts are not at a risky level"
  description = "No account's latest IdentityInfo report has a risk level listed in var.risky_identity_levels."
  sql         = <<-EOQ
    select
      i.account_object_id as resource,
      case when i.risk_level = any($1::text[]) then 'alarm' else 'ok' end as status,
      coalesce(i.account_upn, i.account_object_id) || ' risk level is ' || coalesce(i.risk_level, 'none') || '.' as reason,
      i.tenant_id,
      i.sp_connection_name
    from
      defender_identity as i;
  EOQ
  param "risky_levels" {
    default = var.risky_identity_levels
  }
}

control "identity_not_compromised" {
  title       = "Accounts are not confirmed compromised"
  description = "No account's latest IdentityInfo report has risk status ConfirmedCompromised."
  sql         = <<-EOQ
    select
      i.account_object_id as resource,
      case when i.risk_status = 'ConfirmedCompromised' then 'alarm' else 'ok' end as status,
      coalesce(i.account_upn, i.account_object_id) || ' risk status is ' || coalesce(i.risk_status, 'none') || '.' as reason,
      i.tenant_id,
      i.sp_connection_name
    from
      defender_identity as i;
  EOQ
}
