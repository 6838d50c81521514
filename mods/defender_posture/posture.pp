benchmark "defender_posture" {
  title       = "Defender for Endpoint posture"
  description = "Device health, vulnerabilities, configuration and identity risk, as Microsoft Defender XDR reports them."
  children = [
    benchmark.device_health,
    benchmark.vulnerabilities,
    benchmark.configuration,
    benchmark.identity,
  ]
  tags = {
    plugin = "defender"
    type   = "Benchmark"
  }
}
