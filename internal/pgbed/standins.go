package pgbed

import (
	"context"
	"fmt"
)

// standIn is a table of another Steampipe plugin that the docs join with
// Defender's tables. Its columns carry that plugin's names and types (from
// its table docs); its rows are made, in PostgreSQL, from the Defender
// tables the plugin returned, so that joins find the simulator's users,
// devices and virtual machines.
type standIn struct {
	create string // CREATE TABLE, in schema public
	fill   string // INSERT … SELECT over defender_* tables
}

// standIns are the other plugins' tables the docs use, by name.
var standIns = map[string]standIn{
	// turbot/azuread: azuread_user.
	"azuread_user": {
		create: `create table public.azuread_user (
			id text, user_principal_name text, display_name text, given_name text, surname text,
			mail text, user_type text, account_enabled boolean, department text, job_title text,
			created_date_time timestamptz, tenant_id text)`,
		fill: `insert into public.azuread_user
			select distinct on (account_object_id) account_object_id, account_upn, account_display_name,
				given_name, surname, account_upn, 'Member', coalesce(is_account_enabled, true), department,
				job_title, created_date_time, tenant_id
			from defender_identity_info
			where account_object_id is not null
			order by account_object_id, timestamp desc`,
	},
	// turbot/azuread: azuread_device (device_id is the Entra device id,
	// id the directory object id).
	"azuread_device": {
		create: `create table public.azuread_device (
			id text, device_id text, display_name text, operating_system text, operating_system_version text,
			account_enabled boolean, is_compliant boolean, is_managed boolean, trust_type text,
			approximate_last_sign_in_date_time timestamptz, tenant_id text)`,
		fill: `insert into public.azuread_device
			select distinct on (aad_device_id) md5(aad_device_id)::uuid::text, aad_device_id, split_part(device_name, '.', 1),
				os_platform, os_version, true, true, true, 'AzureAd', timestamp, tenant_id
			from defender_device_info
			where aad_device_id is not null
			order by aad_device_id, timestamp desc`,
	},
	// turbot/azure: azure_compute_virtual_machine.
	"azure_compute_virtual_machine": {
		create: `create table public.azure_compute_virtual_machine (
			id text, name text, vm_id text, resource_group text, subscription_id text, region text,
			os_type text, power_state text, size text, tags jsonb)`,
		fill: `insert into public.azure_compute_virtual_machine
			select distinct on (azure_vm_id) azure_resource_id, split_part(device_name, '.', 1), azure_vm_id,
				split_part(azure_resource_id, '/', 5), azure_vm_subscription_id, 'westeurope',
				case when os_platform ilike 'windows%' then 'Windows' else 'Linux' end, 'running', 'Standard_D2s_v5', '{}'::jsonb
			from defender_device_info
			where azure_vm_id is not null
			order by azure_vm_id, timestamp desc`,
	},
	// turbot/aws: aws_ec2_instance; Defender names an EC2 instance by its
	// ARN (DeviceInfo.AwsResourceName).
	"aws_ec2_instance": {
		create: `create table public.aws_ec2_instance (
			instance_id text, arn text, instance_type text, instance_state text, private_dns_name text,
			private_ip_address text, public_ip_address text, account_id text, region text, tags jsonb)`,
		fill: `insert into public.aws_ec2_instance
			select distinct on (aws_resource_name) split_part(aws_resource_name, '/', 2), aws_resource_name,
				't3.medium', 'running', 'ip-10-20-0-11.' || split_part(aws_resource_name, ':', 4) || '.compute.internal',
				'10.20.0.11', public_ip, split_part(aws_resource_name, ':', 5), split_part(aws_resource_name, ':', 4), '{}'::jsonb
			from defender_device_info
			where aws_resource_name is not null
			order by aws_resource_name, timestamp desc`,
	},
}

// loadStandIns creates and fills the stand-in tables sql names.
func (b *Bed) loadStandIns(ctx context.Context, sql string) error {
	for _, t := range tokenize(sql) {
		s, ok := standIns[t.text]
		if t.kind != ident || !ok || b.loaded[t.text] {
			continue
		}
		// Marked first: the fill names the stand-in itself.
		b.loaded[t.text] = true
		if err := b.fillStandIn(ctx, s); err != nil {
			delete(b.loaded, t.text)
			b.DB().ExecContext(ctx, "drop table if exists public."+quoteIdent(t.text))
			return fmt.Errorf("pgbed: stand-in %s: %w", t.text, err)
		}
	}
	return nil
}

// fillStandIn loads the Defender tables s is made from, then creates and
// fills it.
func (b *Bed) fillStandIn(ctx context.Context, s standIn) error {
	if err := b.Load(ctx, s.fill); err != nil {
		return err
	}
	if _, err := b.DB().ExecContext(ctx, s.create); err != nil {
		return err
	}
	_, err := b.DB().ExecContext(ctx, s.fill)
	return err
}
