mod "defender_posture" {
  title       = "Microsoft Defender for Endpoint posture"
  description = "Compliance benchmark over Microsoft Defender XDR data: device health, vulnerabilities, configuration baselines and identity risk, read through the Steampipe defender plugin."
  categories  = ["security", "compliance", "microsoft defender"]

  require {
    plugin "local/defender" {
      min_version = "0.0.0"
    }
  }
}
