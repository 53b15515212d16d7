package doctor

import (
	"github.com/setup-cisco/setup-cisco/internal/siteconf"
)

// CheckClock looks at what the phones are told about time. Without an
// SNTP server (ntp_server) a 7940/7960 has no time source but the Date
// header of SIP answers, if its proxy sends one, and shows a wrong or no
// clock; Cisco's samples set sntp_server and sntp_mode together (fact
// sheet §3, HUGO-sample, CME-FILES). A Cisco zone code given directly
// carries no summer-time rule, so the phone's built-in one applies (§7).
// Both are notes: the phones work, their clock may not.
func CheckClock(site siteconf.Site, configPath string) []Finding {
	var fs []Finding
	if site.NTPServer == "" {
		fs = append(fs, note(configPath, "warning: no ntp_server set: the phones get no SNTP time and may show a wrong clock; set ntp_server = ADDRESS (this host, if it runs an NTP server)"))
	}
	if site.Clock.Direct {
		fs = append(fs, note(configPath, "time_zone %s is a Cisco code: the phones apply their built-in summer-time rule; set time_zone to the tz database name (Europe/Berlin, America/New_York) for the real rule", site.Clock.Zone.Code))
	}
	return fs
}
