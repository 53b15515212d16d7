// Package dbconf finds the FreePBX database credentials and turns them into
// a go-sql-driver/mysql DSN. It reads /etc/freepbx.conf and /etc/amportal.conf
// as text and never executes PHP.
//
// Facts (shared/reference/freepbx-facts.md §2): freepbx.conf sets
// $amp_conf['AMPDBUSER'] etc. as single-quoted PHP strings; modules look for
// it at $FREEPBX_CONF, /etc/freepbx.conf, /etc/asterisk/freepbx.conf;
// IssabelPBX (the Elastix/FreePBX 2.11 fork) renamed it: its scripts include
// $ISSABELPBX_CONF or /etc/issabelpbx.conf, else
// /etc/asterisk/issabelpbx.conf. amportal.conf is KEY=VALUE (spaces escaped
// as `\ `) and held the credentials itself before FreePBX 2.9 (the trixbox
// era), when FreePBX connected through PEAR DB with
// 'mysql://'.AMPDBUSER.':'.AMPDBPASS.'@'.AMPDBHOST.'/'.AMPDBNAME
// (framework common/db_connect.php), so AMPDBHOST may carry ":port".
// FreePBX's Database class uses AMPDBSOCK when set, adds the port only when
// it is above 1024, and PHP's PDO treats host "localhost" as the Unix socket.
package dbconf

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/go-sql-driver/mysql"
)

// Options are the user's choices; empty fields mean "not given".
type Options struct {
	DSN         string // --db-dsn
	FreePBXConf string // --freepbx-conf
	Amportal    string // --amportal
	// Getenv, SocketCandidates and Files make the search testable; nil
	// means the real environment, the usual MariaDB/MySQL socket paths and
	// DefaultFiles.
	Getenv           func(string) string
	SocketCandidates []string
	Files            []string
}

// Resolved is a DSN and where its credentials came from.
type Resolved struct {
	DSN    string
	Source string // "--db-dsn", or the file read
}

// DefaultSockets are where Debian, RHEL/CentOS (FreePBX distro, trixbox) and
// others put the server's socket.
var DefaultSockets = []string{
	"/run/mysqld/mysqld.sock",
	"/var/run/mysqld/mysqld.sock",
	"/var/lib/mysql/mysql.sock",
	"/tmp/mysql.sock",
}

// DefaultFiles are the PHP config files searched, in order, when neither a
// flag nor $ISSABELPBX_CONF/$FREEPBX_CONF names one; /etc/amportal.conf
// comes after them. IssabelPBX's names come first because an Issabel host
// often keeps an older release's /etc/freepbx.conf that Issabel itself no
// longer reads (its scripts include /etc/issabelpbx.conf whenever it exists).
var DefaultFiles = []string{
	"/etc/issabelpbx.conf",
	"/etc/asterisk/issabelpbx.conf",
	"/etc/freepbx.conf",
	"/etc/asterisk/freepbx.conf",
}

// DefaultAmportal is the KEY=VALUE file read when no PHP config exists.
const DefaultAmportal = "/etc/amportal.conf"

// ErrNoCredentials is returned when no source of credentials exists.
var ErrNoCredentials = errors.New("no database credentials: give --db-dsn, or --freepbx-conf FILE (default $ISSABELPBX_CONF, $FREEPBX_CONF, /etc/issabelpbx.conf, /etc/freepbx.conf, ...), or --amportal FILE (default /etc/amportal.conf)")

// Resolve applies the order --db-dsn, --freepbx-conf, --amportal, then
// $ISSABELPBX_CONF, $FREEPBX_CONF, DefaultFiles and /etc/amportal.conf.
// A file named by a flag or an environment variable must be readable: it is
// never skipped in favour of another instance's file.
func Resolve(o Options) (Resolved, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	socks := o.SocketCandidates
	if socks == nil {
		socks = DefaultSockets
	}
	files := o.Files
	if files == nil {
		files = DefaultFiles
	}
	if o.DSN != "" {
		dsn, err := ParseDSN(o.DSN, socks)
		if err != nil {
			return Resolved{}, fmt.Errorf("--db-dsn: %w", err)
		}
		return Resolved{DSN: dsn, Source: "--db-dsn"}, nil
	}
	try := func(path string, parse func([]byte) (map[string]string, error)) (Resolved, error) {
		data, err := os.ReadFile(path)
		if err != nil {
			return Resolved{}, err
		}
		kv, err := parse(data)
		if err != nil {
			return Resolved{}, fmt.Errorf("%s: %w", path, err)
		}
		dsn, err := fromSettings(kv, socks)
		if err != nil {
			return Resolved{}, fmt.Errorf("%s: %w", path, err)
		}
		return Resolved{DSN: dsn, Source: path}, nil
	}
	if o.FreePBXConf != "" {
		return try(o.FreePBXConf, ParsePHP)
	}
	if o.Amportal != "" {
		return try(o.Amportal, ParseAmportal)
	}
	for _, env := range []string{"ISSABELPBX_CONF", "FREEPBX_CONF"} {
		if p := getenv(env); p != "" {
			r, err := try(p, ParsePHP)
			if err != nil {
				return Resolved{}, fmt.Errorf("$%s: %w", env, err)
			}
			return r, nil
		}
	}
	for _, p := range files {
		r, err := try(p, ParsePHP)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		return r, err
	}
	r, err := try(DefaultAmportal, ParseAmportal)
	if errors.Is(err, os.ErrNotExist) {
		return Resolved{}, ErrNoCredentials
	}
	return r, err
}

// PHP assignments of the form $amp_conf['KEY'] = 'value'; (or double
// quotes), matched only where PHP code starts.
var phpAssign = regexp.MustCompile(`^\$amp_conf\s*\[\s*(?:'([A-Za-z0-9_]+)'|"([A-Za-z0-9_]+)")\s*\]\s*=\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[0-9]+)\s*;`)

// ParsePHP extracts the $amp_conf literal assignments from freepbx.conf as
// PHP sees them: text outside <?php ... ?> and inside //, # and /* */
// comments is not code, so an old value kept in a comment is never read
// (PHP manual, "Comments": a line comment ends at the newline or at ?>);
// a later live assignment wins over an earlier one, as in PHP. Only
// literals are understood; anything else is left alone, as the file also
// requires bootstrap.php and may hold other PHP.
func ParsePHP(data []byte) (map[string]string, error) {
	kv := map[string]string{}
	s := string(data)
	php := false
	for i := 0; i < len(s); {
		if !php {
			j := strings.Index(s[i:], "<?")
			if j < 0 {
				break
			}
			i += j + 2
			if len(s)-i >= 3 && strings.EqualFold(s[i:i+3], "php") {
				i += 3
			}
			php = true
			continue
		}
		switch c := s[i]; {
		case strings.HasPrefix(s[i:], "?>"):
			php = false
			i += 2
		case c == '#' || strings.HasPrefix(s[i:], "//"):
			for i < len(s) && s[i] != '\n' && !strings.HasPrefix(s[i:], "?>") {
				i++
			}
		case strings.HasPrefix(s[i:], "/*"):
			if j := strings.Index(s[i+2:], "*/"); j >= 0 {
				i += 2 + j + 2
			} else {
				i = len(s)
			}
		case c == '\'' || c == '"' || c == '`':
			i = skipQuoted(s, i)
		case c == '$':
			m := phpAssign.FindStringSubmatch(s[i:])
			if m == nil {
				i++
				continue
			}
			kv[m[1]+m[2]] = phpString(m[3])
			i += len(m[0])
		default:
			i++
		}
	}
	if len(kv) == 0 {
		return nil, errors.New("no $amp_conf['AMPDB...'] settings found in PHP code (outside comments, after <?php)")
	}
	return kv, nil
}

// skipQuoted returns the index after the quoted string starting at s[i]
// (a backslash escapes the next byte), or len(s) if it never ends.
func skipQuoted(s string, i int) int {
	q := s[i]
	for i++; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case q:
			return i + 1
		}
	}
	return len(s)
}

// phpString decodes a PHP literal as PHP does (php.net, "Strings"): in
// single quotes only \' and \\ are escapes; in double quotes \n \t \r \v
// \e \f \\ \$ \", octal \[0-7]{1,3}, hex \x[0-9A-Fa-f]{1,2} and \u{hex}
// (UTF-8); any other backslash stays, with the byte after it.
func phpString(lit string) string {
	if lit == "" || (lit[0] != '\'' && lit[0] != '"') {
		return lit
	}
	q, body := lit[0], lit[1:len(lit)-1]
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c != '\\' || i+1 == len(body) {
			b.WriteByte(c)
			continue
		}
		n := body[i+1]
		if n == '\\' || n == q {
			b.WriteByte(n)
			i++
			continue
		}
		if q != '"' {
			b.WriteByte(c)
			continue
		}
		if k := strings.IndexByte("ntrvef$", n); k >= 0 {
			b.WriteByte("\n\t\r\v\x1b\f$"[k])
			i++
			continue
		}
		// Octal: up to three digits (PHP keeps the low byte).
		if j := i + 1; n >= '0' && n <= '7' {
			v := 0
			for ; j < len(body) && j < i+4 && body[j] >= '0' && body[j] <= '7'; j++ {
				v = v*8 + int(body[j]-'0')
			}
			b.WriteByte(byte(v))
			i = j - 1
			continue
		}
		// Hex: \x and one or two digits; \x alone stays as it is.
		if n == 'x' {
			v, j := 0, i+2
			for ; j < len(body) && j < i+4 && isHex(body[j]); j++ {
				v = v*16 + hexVal(body[j])
			}
			if j > i+2 {
				b.WriteByte(byte(v))
				i = j - 1
				continue
			}
		}
		// \u{hex}: the code point in UTF-8 (PHP 7 on).
		if n == 'u' && i+2 < len(body) && body[i+2] == '{' {
			if end := strings.IndexByte(body[i+3:], '}'); end > 0 {
				if v, err := strconv.ParseUint(body[i+3:i+3+end], 16, 32); err == nil && v <= unicode.MaxRune {
					b.WriteRune(rune(v))
					i += 3 + end
					continue
				}
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) int {
	switch {
	case c <= '9':
		return int(c - '0')
	case c >= 'a':
		return int(c-'a') + 10
	}
	return int(c-'A') + 10
}

// ParseAmportal reads KEY=VALUE lines; `#` starts a comment line, `\ ` is
// an escaped space (as amportal_generate writes it) and surrounding quotes
// are removed.
func ParseAmportal(data []byte) (map[string]string, error) {
	kv := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line[0] == '#' || line[0] == ';' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			return nil, fmt.Errorf("line %d: not KEY=VALUE", i+1)
		}
		if k = strings.TrimSpace(k); k == "" {
			return nil, fmt.Errorf("line %d: no KEY before =", i+1) // found by FuzzParseAmportal
		}
		v = strings.TrimSpace(v)
		if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
			v = v[1 : len(v)-1]
		}
		kv[k] = strings.ReplaceAll(v, `\ `, " ")
	}
	if _, ok := kv["AMPDBUSER"]; !ok {
		return nil, errors.New("no AMPDBUSER setting (modern FreePBX keeps the credentials in /etc/freepbx.conf)")
	}
	return kv, nil
}

func fromSettings(kv map[string]string, sockets []string) (string, error) {
	user := kv["AMPDBUSER"]
	if user == "" {
		return "", errors.New("AMPDBUSER is not set")
	}
	if e := strings.ToLower(kv["AMPDBENGINE"]); e != "" && e != "mysql" && e != "mariadb" {
		return "", fmt.Errorf("AMPDBENGINE %q is not MySQL/MariaDB", e)
	}
	cfg := mysql.NewConfig()
	cfg.User = user
	cfg.Passwd = kv["AMPDBPASS"]
	cfg.DBName = kv["AMPDBNAME"]
	if cfg.DBName == "" {
		cfg.DBName = "asterisk"
	}
	h, err := parseHostSpec(kv["AMPDBHOST"])
	if err != nil {
		return "", fmt.Errorf("AMPDBHOST %q: %w", kv["AMPDBHOST"], err)
	}
	port := 3306
	ampPort := strings.TrimSpace(kv["AMPDBPORT"])
	if p, err := strconv.Atoi(ampPort); err == nil && p > 1024 {
		port = p
	}
	if h.port != 0 {
		// FreePBX 2.x had no AMPDBPORT: PEAR DB took the port from
		// AMPDBHOST. Two different ports are a contradiction, not a choice.
		if ampPort != "" && ampPort != strconv.Itoa(h.port) {
			return "", fmt.Errorf("AMPDBHOST %q names port %d but AMPDBPORT is %q: keep the port in one of them", kv["AMPDBHOST"], h.port, ampPort)
		}
		port = h.port
	}
	if sock := kv["AMPDBSOCK"]; sock != "" {
		h.socket = sock
	}
	setAddr(cfg, h, port, sockets)
	return finish(cfg).FormatDSN(), nil
}

// hostSpec is a database host as FreePBX 2.x's PEAR DB read it.
type hostSpec struct {
	host   string // "" means localhost
	port   int    // 0: not given
	socket string // Unix socket path
}

// parseHostSpec splits AMPDBHOST, or the host part of a PEAR DSN, the way
// PEAR DB's DB::parseDSN and PHP's mysql_connect do: "host", "host:port",
// "[IPv6]:port", a bare IPv6 address (as PDO takes it), "host:/socket",
// "unix(/socket)" and "tcp(host[:port])". An empty spec is localhost.
func parseHostSpec(spec string) (hostSpec, error) {
	spec = strings.TrimSpace(spec)
	if inner, ok := strings.CutPrefix(spec, "unix("); ok && strings.HasSuffix(inner, ")") {
		if inner = strings.TrimSuffix(inner, ")"); inner == "" {
			return hostSpec{}, errors.New("unix() names no socket path")
		}
		return hostSpec{socket: inner}, nil
	}
	if inner, ok := strings.CutPrefix(spec, "tcp("); ok && strings.HasSuffix(inner, ")") {
		spec = strings.TrimSuffix(inner, ")")
	}
	switch {
	case spec == "" || net.ParseIP(spec) != nil:
		return hostSpec{host: spec}, nil
	case strings.HasPrefix(spec, "[") && strings.HasSuffix(spec, "]"):
		return hostSpec{host: spec[1 : len(spec)-1]}, nil
	case strings.Count(spec, ":") > 1 && !strings.HasPrefix(spec, "["):
		return hostSpec{}, errors.New("not a host, host:port or [IPv6]:port")
	case !strings.Contains(spec, ":"):
		if strings.ContainsAny(spec, "/@() \t") {
			return hostSpec{}, errors.New("not a host name or address")
		}
		return hostSpec{host: spec}, nil
	}
	host, port, err := net.SplitHostPort(spec)
	if err != nil {
		if i := strings.Index(spec, ":/"); i >= 0 && !strings.HasPrefix(spec, "[") {
			return hostSpec{host: spec[:i], socket: spec[i+1:]}, nil // mysql_connect's "localhost:/path/mysql.sock"
		}
		return hostSpec{}, errors.New("not a host, host:port or [IPv6]:port")
	}
	if strings.HasPrefix(port, "/") {
		return hostSpec{host: host, socket: port}, nil
	}
	p, err := strconv.Atoi(port)
	if err != nil || p < 1 || p > 65535 {
		return hostSpec{}, fmt.Errorf("port %q is not a number from 1 to 65535", port)
	}
	return hostSpec{host: host, port: p}, nil
}

// setAddr fills cfg.Net and cfg.Addr: a socket when one is named; for
// localhost the first existing socket of sockets, as PHP's MySQL drivers
// use the socket for "localhost", else TCP 127.0.0.1; otherwise TCP.
func setAddr(cfg *mysql.Config, h hostSpec, port int, sockets []string) {
	switch {
	case h.socket != "":
		cfg.Net, cfg.Addr = "unix", h.socket
	case h.host == "" || h.host == "localhost":
		cfg.Net, cfg.Addr = "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		for _, s := range sockets {
			if fi, err := os.Stat(s); err == nil && fi.Mode()&os.ModeSocket != 0 {
				cfg.Net, cfg.Addr = "unix", s
				break
			}
		}
	default:
		cfg.Net, cfg.Addr = "tcp", net.JoinHostPort(h.host, strconv.Itoa(port))
	}
}

// dsnForms is what --db-dsn takes, for error messages.
const dsnForms = "write user:pw@tcp(host:port)/dbname or user:pw@unix(/path/to/mysqld.sock)/dbname (go-sql-driver form), or mysql://user:pw@host[:port]/dbname (FreePBX 2.x's PEAR form)"

var pearScheme = regexp.MustCompile(`(?i)^(mysqli?|mariadb)://`)

// ParseDSN reads --db-dsn and returns a go-sql-driver DSN with our
// timeouts. It takes go-sql-driver's own form, or the PEAR DB URL FreePBX
// 2.x built from amportal.conf ('mysql://'.$db_user.':'.$db_pass.'@'.
// $db_host.'/'.$db_name, framework common/db_connect.php), split as PEAR's
// DB::parseDSN does: the last "@" ends the user part, the first ":" in it
// ends the user name, both are URL-decoded, and the host part is read by
// parseHostSpec (so localhost means the socket). Anything else, PHP PDO's
// "mysql:host=...;dbname=..." included, is an error that shows the forms.
func ParseDSN(dsn string, sockets []string) (string, error) {
	if loc := pearScheme.FindStringIndex(dsn); loc != nil {
		return parsePEAR(dsn[loc[1]:], sockets)
	}
	if strings.HasPrefix(strings.ToLower(dsn), "mysql:") && strings.Contains(dsn, "=") {
		return "", fmt.Errorf("%q is PHP PDO's form, which holds no user or password; %s", dsn, dsnForms)
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "", fmt.Errorf("%w; %s", err, dsnForms)
	}
	switch cfg.Net {
	case "tcp", "tcp4", "tcp6", "unix":
	default:
		return "", fmt.Errorf("network %q is neither tcp nor unix; %s", cfg.Net, dsnForms)
	}
	return finish(cfg).FormatDSN(), nil
}

func parsePEAR(rest string, sockets []string) (string, error) {
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return "", fmt.Errorf("mysql:// URL without user@: %s", dsnForms)
	}
	user, pass, _ := strings.Cut(rest[:at], ":")
	cfg := mysql.NewConfig()
	cfg.User, cfg.Passwd = urlDecode(user), urlDecode(pass)
	if cfg.User == "" {
		return "", fmt.Errorf("mysql:// URL without a user name; %s", dsnForms)
	}
	hostPart, db := rest[at+1:], ""
	if m := pearProto.FindStringSubmatch(hostPart); m != nil {
		hostPart, db = m[1], m[2]
	} else if h, d, ok := strings.Cut(hostPart, "/"); ok {
		hostPart, db = h, d
	}
	db, _, _ = strings.Cut(db, "?") // PEAR driver options: not ours
	h, err := parseHostSpec(urlDecode(hostPart))
	if err != nil {
		return "", fmt.Errorf("host %q: %w; %s", hostPart, err, dsnForms)
	}
	port := 3306
	if h.port != 0 {
		port = h.port
	}
	if cfg.DBName = urlDecode(db); cfg.DBName == "" {
		cfg.DBName = "asterisk"
	}
	setAddr(cfg, h, port, sockets)
	return finish(cfg).FormatDSN(), nil
}

// pearProto is PEAR's "proto(opts)/database" host part.
var pearProto = regexp.MustCompile(`^([a-z]+\([^)]*\))/?(.*)$`)

// urlDecode is PHP's rawurldecode: %XX escapes only; a malformed one is
// kept as written.
func urlDecode(s string) string {
	if d, err := url.PathUnescape(s); err == nil {
		return d
	}
	return s
}

// finish adds what every connection of ours needs: a bounded connect
// timeout so cron never hangs on a dead server.
func finish(cfg *mysql.Config) *mysql.Config {
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	if cfg.ReadTimeout == 0 {
		cfg.ReadTimeout = 30 * time.Second
	}
	if cfg.WriteTimeout == 0 {
		cfg.WriteTimeout = 30 * time.Second
	}
	return cfg
}

// Redact returns the DSN with its password replaced, for messages.
func Redact(dsn string) string {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return "(unparsable DSN)"
	}
	if cfg.Passwd != "" {
		cfg.Passwd = "xxxxx"
	}
	return cfg.FormatDSN()
}
