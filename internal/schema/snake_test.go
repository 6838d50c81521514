package schema

import "testing"

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"DeviceProcessEvents":                "device_process_events",
		"AADSignInEventsBeta":                "aad_sign_in_events_beta",
		"DeviceTvmSoftwareVulnerabilitiesKB": "device_tvm_software_vulnerabilities_kb",
		"InitiatingProcessSHA256":            "initiating_process_sha256",
		"RemoteIP":                           "remote_ip",
		"IPAddress":                          "ip_address",
		"SenderIPv4":                         "sender_ipv4",
		"OAuthAppInfo":                       "oauth_app_info",
		"MD5":                                "md5",
		"Timestamp":                          "timestamp",
		"OSVersionInfo":                      "os_version_info",
		"HashReputationMd5List":              "hash_reputation_md5_list",
	} {
		if got := SnakeCase(in); got != want {
			t.Errorf("SnakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}
