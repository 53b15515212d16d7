package provision

import (
	"fmt"
	"strings"
	"sync"
)

// driverLog takes the messages go-sql-driver/mysql would print to stderr
// itself ("[mysql] 2026/11/29 15:20:17 packets.go:58 read tcp ...: i/o
// timeout"), so that a run's stderr has only its own prefixed messages,
// and keeps the last one: the driver then returns a bare "invalid
// connection", and the message is the cause the admin needs.
type driverLog struct {
	mu   sync.Mutex
	last string
}

// Print implements mysql.Logger.
func (l *driverLog) Print(v ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.last = strings.TrimSpace(fmt.Sprint(v...))
}

// explain adds the driver's last message to err, if it had one.
func (l *driverLog) explain(err error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.last == "" || strings.Contains(err.Error(), l.last) {
		return err
	}
	return fmt.Errorf("%w (%s)", err, l.last)
}
