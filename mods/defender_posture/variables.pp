variable "device_inactive_days" {
  type        = number
  description = "A device whose latest report is older than this many days is not seen."
  default     = 7
}

variable "unsupported_os_platforms" {
  type        = list(string)
  description = "OS platforms (os_platform values) that no longer receive security updates."
  default     = ["Windows10", "Windows7", "Windows8.1", "WindowsServer2008R2", "WindowsServer2012R2"]
}

variable "cve_max_open_days" {
  type        = number
  description = "A Critical or High CVE published more than this many days ago should be fixed."
  default     = 30
}

variable "cvss_alarm_score" {
  type        = number
  description = "CVEs with a CVSS score at or above this value raise an alarm."
  default     = 9.0
}

variable "secure_config_min_impact" {
  type        = number
  description = "Failing secure configuration assessments with at least this impact (0 to 10) raise an alarm."
  default     = 9
}

variable "av_signature_max_age_days" {
  type        = number
  description = "Antivirus signatures older than this many days raise an alarm."
  default     = 7
}

variable "risky_identity_levels" {
  type        = list(string)
  description = "IdentityInfo risk levels that raise an alarm."
  default     = ["High"]
}
