// Package dataset generates the simulated Defender tenant's data:
// deterministic synthetic rows for all 65 advanced hunting tables.
//
// The tenant is Larkspur Logistics (larkspur.example): 25 devices named
// like ws-fin-014.corp.larkspur.example (Windows workstations, Windows and
// Linux servers, one Mac), 40 accounts in the LARKSPUR domain, and a few
// external mail senders. Every table draws on the same pools, so joins on
// DeviceId, AccountObjectId, NetworkMessageId, AlertId, CveId and
// BehaviorId match across tables.
//
// Rows are never stored. Row i of a table is a pure function of the
// options and i, built from a PRNG seeded by (seed, table, i); a scan
// regenerates its rows on the fly. Rows of a table do not depend on its own
// length, only on the sizes of the tables it refers to.
//
// Processes form trees. Row j of DeviceProcessEvents runs on the device
// owning slot j mod 64; its InitiatingProcess* columns describe the
// process of an earlier row on the same device (or a long-lived root such
// as services.exe), and the InitiatingProcess* columns of the other Device*
// tables describe processes that DeviceProcessEvents created.
//
// Planted stories, present with the default 200 rows per table:
//   - encoded PowerShell: DeviceProcessEvents row 5 and every 97th after it
//     on a Windows device run powershell.exe -EncodedCommand (or -enc), and
//     row 10 runs POWERSHELL.EXE -ENC;
//   - a rare host: 185.220.101.47 (cdn-update-check.example) is contacted
//     in DeviceNetworkEvents only by ws-fin-022 and build-lnx-02;
//   - phishing: EmailEvents message 7 and every 23rd after it is a Phish
//     from a look-alike domain, listed in EmailUrlInfo and clicked
//     (ClickAllowed) in UrlClickEvents;
//   - password spraying: in EntraIdSignInEvents and AADSignInEventsBeta
//     most failed sign-ins (ErrorCode 50126 or 50053) target
//     priya.raman and hannah.schmidt from abroad;
//   - vulnerabilities: web-lnx-01 (log4j), build-lnx-02 (xz) and two
//     workstations (Outlook) have Critical CVEs, with KB entries;
//   - posture (posture.go): devices and accounts whose latest report
//     differs from the earlier ones (ws-eng-117 upgraded to Windows 11,
//     ws-fin-014's sensor went inactive, priya.raman became high risk, …),
//     a device not seen for 7 days, and passing and failing hosts for
//     antivirus, secure configuration and CIS/STIG baseline checks.
//
// Edge values are spread through the data: empty strings and nulls (about
// one value in 64 outside key columns), 100 ns timestamps, rows sharing a
// timestamp, rows older than 30 days, dynamic objects, arrays, nesting and
// JSON nulls, invalid JSON text, longs above 2^53 and negative longs,
// quotes, backslashes, % and _, tabs and newlines, accented, Cyrillic and
// CJK text and emoji outside the BMP. The plants table in edges.go lists
// the hand-placed ones.
package dataset
