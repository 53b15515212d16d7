// Package templates holds the built-in templates (text/template) for the
// files setup-cisco writes into the TFTP root. A file of the same name in
// the override directory (--templates, default /etc/setup-cisco/templates)
// replaces the built-in one. A template that renders to nothing (only white
// space) means "do not write this file".
//
// Keys used are those of Cisco's SIP IP Phone admin guide for the 7940/7960
// (release 7.5 appendix D, sipaxd75; 8.0 OL-7890-01), each once per file.
package templates

import "embed"

// FS holds the *.tmpl files; the file written is the name without .tmpl,
// with MAC standing for the phone's MAC address.
//
//go:embed *.tmpl
var FS embed.FS
