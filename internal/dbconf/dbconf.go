// Package dbconf finds the FreePBX database credentials and turns them into
// a go-sql-driver/mysql DSN. It reads /etc/freepbx.conf and /etc/amportal.conf
// as text and never executes PHP.
//
// Facts (shared/reference/freepbx-facts.md §2): freepbx.conf sets
// $amp_conf['AMPDBUSER'] etc. as single-quoted PHP strings; modules look for
// it at $FREEPBX_CONF, /etc/freepbx.conf, /etc/asterisk/freepbx.conf;
// amportal.conf is KEY=VALUE (spaces escaped as `\ `) and held the
// credentials itself before FreePBX 2.9 (the trixbox era). FreePBX's
// Database class uses AMPDBSOCK when set, adds the port only when it is
// above 1024, and PHP's PDO treats host "localhost" as the Unix socket.
package dbconf

import (
	"errors"
	"fmt"
	"net"
	"os"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/go-sql-driver/mysql"
)

// Options are the user's choices; empty fields mean "not given".
type Options struct {
	DSN         string // --db-dsn
	FreePBXConf string // --freepbx-conf
	Amportal    string // --amportal
	// Getenv and SocketCandidates make the search testable; nil means the
	// real environment and the usual MariaDB/MySQL socket paths.
	Getenv           func(string) string
	SocketCandidates []string
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

// ErrNoCredentials is returned when no source of credentials exists.
var ErrNoCredentials = errors.New("no database credentials: give --db-dsn, or --freepbx-conf FILE (default /etc/freepbx.conf), or --amportal FILE")

// Resolve applies the order --db-dsn, --freepbx-conf, --amportal, then the
// default files.
func Resolve(o Options) (Resolved, error) {
	getenv := o.Getenv
	if getenv == nil {
		getenv = os.Getenv
	}
	socks := o.SocketCandidates
	if socks == nil {
		socks = DefaultSockets
	}
	if o.DSN != "" {
		cfg, err := mysql.ParseDSN(o.DSN)
		if err != nil {
			return Resolved{}, fmt.Errorf("--db-dsn: %w", err)
		}
		return Resolved{DSN: finish(cfg).FormatDSN(), Source: "--db-dsn"}, nil
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
	var candidates []string
	if p := getenv("FREEPBX_CONF"); p != "" {
		candidates = append(candidates, p)
	}
	candidates = append(candidates, "/etc/freepbx.conf", "/etc/asterisk/freepbx.conf")
	for _, p := range candidates {
		r, err := try(p, ParsePHP)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		return r, err
	}
	r, err := try("/etc/amportal.conf", ParseAmportal)
	if errors.Is(err, os.ErrNotExist) {
		return Resolved{}, ErrNoCredentials
	}
	return r, err
}

// PHP assignments of the form $amp_conf['KEY'] = 'value'; (or double quotes).
var phpAssign = regexp.MustCompile(`\$amp_conf\s*\[\s*(?:'([A-Za-z0-9_]+)'|"([A-Za-z0-9_]+)")\s*\]\s*=\s*('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|[0-9]+)\s*;`)

// ParsePHP extracts the $amp_conf string assignments from freepbx.conf.
// Only literals are understood; anything else is left alone, as the file
// also requires bootstrap.php and may hold other PHP.
func ParsePHP(data []byte) (map[string]string, error) {
	kv := map[string]string{}
	for _, m := range phpAssign.FindAllSubmatch(data, -1) {
		key := string(m[1]) + string(m[2])
		kv[key] = phpString(string(m[3]))
	}
	if len(kv) == 0 {
		return nil, errors.New("no $amp_conf['AMPDB...'] settings found")
	}
	return kv, nil
}

// phpString decodes a PHP literal: in single quotes only \' and \\ are
// escapes; in double quotes the common backslash escapes apply.
func phpString(lit string) string {
	if lit == "" || (lit[0] != '\'' && lit[0] != '"') {
		return lit
	}
	q, body := lit[0], lit[1:len(lit)-1]
	var b strings.Builder
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\\' && i+1 < len(body) {
			n := body[i+1]
			out, ok := n, n == '\\' || n == q
			// Double quotes also decode \n, \t and \$.
			if k := strings.IndexByte("nt$", n); !ok && q == '"' && k >= 0 {
				out, ok = "\n\t$"[k], true
			}
			if ok {
				b.WriteByte(out)
				i++
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
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
	host := kv["AMPDBHOST"]
	if host == "" {
		host = "localhost"
	}
	port := 3306
	if p, err := strconv.Atoi(kv["AMPDBPORT"]); err == nil && p > 1024 {
		port = p
	}
	switch sock := kv["AMPDBSOCK"]; {
	case sock != "":
		cfg.Net, cfg.Addr = "unix", sock
	case host == "localhost":
		cfg.Net, cfg.Addr = "tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
		for _, s := range sockets {
			if fi, err := os.Stat(s); err == nil && fi.Mode()&os.ModeSocket != 0 {
				cfg.Net, cfg.Addr = "unix", s
				break
			}
		}
	default:
		cfg.Net, cfg.Addr = "tcp", net.JoinHostPort(host, strconv.Itoa(port))
	}
	return finish(cfg).FormatDSN(), nil
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
