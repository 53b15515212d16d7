package tftpwatch

import (
	"strings"
	"testing"
)

// "Aborting transfer" (the phone's port closed) ends a request as failed:
// on its own thread (--logfile), and through syslog once as many ends as
// open requests were seen, the image taken for the aborted one.
func TestAtftpdAborted(t *testing.T) {
	for name, lines := range map[string][]string{
		"logfile": {
			"Nov 29 10:00:00 pbx atftpd[30.7]: Serving P0S3-08-12-00.sb2 to 192.0.2.40:2000",
			"Nov 29 10:00:01 pbx atftpd[30.8]: Serving SIPDefault.cnf to 192.0.2.41:2001",
			"Nov 29 10:00:05 pbx atftpd[30.7]: Aborting transfer",
			"Nov 29 10:00:05 pbx atftpd[30.8]: End of transfer",
		},
		"syslog": {
			"Nov 29 10:00:00 pbx atftpd[30]: Serving SIPDefault.cnf to 192.0.2.41:2001",
			"Nov 29 10:00:00 pbx atftpd[30]: Serving P0S3-08-12-00.sb2 to 192.0.2.40:2000",
			"Nov 29 10:00:01 pbx atftpd[30]: End of transfer",
			"Nov 29 10:00:05 pbx atftpd[30]: tftpd_file.c: 1178: recvfrom: Connection refused",
			"Nov 29 10:00:05 pbx atftpd[30]: Aborting transfer",
		},
	} {
		p := NewParser()
		tr := &Tracker{}
		for _, l := range lines {
			var es []Event
			if e, ok := p.Line(l); ok {
				es = append(es, e)
			}
			for _, e := range append(es, p.Pending()...) {
				tr.Handle(e)
			}
		}
		sum := strings.Join(tr.Summary(), "\n")
		if !strings.Contains(sum, "192.0.2.40: 1 request(s); stopped at: transfer of P0S3-08-12-00.sb2 failed: atftpd aborted") ||
			!strings.Contains(sum, "192.0.2.41: 1 request(s); last: config fetched: SIPDefault.cnf") {
			t.Errorf("%s:\n%s", name, sum)
		}
	}
}
