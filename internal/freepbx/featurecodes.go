package freepbx

import (
	"context"
	"database/sql"
	"strings"

	"github.com/setup-cisco/setup-cisco/internal/dbrows"
)

// FeatureCode is one enabled featurecodes row (framework module.xml, table
// featurecodes; defaults seeded by framework installlib/SQL/asterisk.sql).
type FeatureCode struct {
	Module  string // modulename, e.g. voicemail
	Feature string // featurename, e.g. myvoicemail
	Code    string // customcode when set, else defaultcode (featurecode::getCodeActive)
	Custom  bool   // Code is the site's customcode
}

// Key is "module/feature".
func (f FeatureCode) Key() string { return f.Module + "/" + f.Feature }

// ReadFeatureCodes returns the enabled feature codes that have a code,
// sorted by module and feature. A database without the table gives none.
func ReadFeatureCodes(ctx context.Context, db *sql.DB, have map[string]bool) ([]FeatureCode, error) {
	if !have["featurecodes"] {
		return nil, nil
	}
	var out []FeatureCode
	err := dbrows.Each(ctx, db, "featurecodes",
		"SELECT modulename, featurename, defaultcode, customcode FROM featurecodes WHERE enabled = 1 ORDER BY modulename, featurename",
		func(s dbrows.Scanner) error {
			var f FeatureCode
			var def, custom sql.NullString
			if err := s.Scan(&f.Module, &f.Feature, &def, &custom); err != nil {
				return err
			}
			f.Code = strings.TrimSpace(def.String)
			if c := strings.TrimSpace(custom.String); c != "" {
				f.Code, f.Custom = c, true
			}
			if f.Code != "" {
				out = append(out, f)
			}
			return nil
		})
	return out, err
}

// Feature returns the active code of module/feature, or "" when it is
// disabled or unset.
func Feature(codes []FeatureCode, module, feature string) (FeatureCode, bool) {
	for _, f := range codes {
		if f.Module == module && f.Feature == feature {
			return f, true
		}
	}
	return FeatureCode{}, false
}

// User is one FreePBX user (users table): the extension and its name, for
// the phone directory.
type User struct {
	Extension string
	Name      string
}

// ReadUsers returns every user, sorted by extension.
func ReadUsers(ctx context.Context, db *sql.DB) ([]User, error) {
	var out []User
	err := dbrows.Each(ctx, db, "users", "SELECT extension, name FROM users ORDER BY extension", func(s dbrows.Scanner) error {
		var u User
		var name sql.NullString
		if err := s.Scan(&u.Extension, &name); err != nil {
			return err
		}
		u.Name = undoDoubleUTF8(name.String)
		out = append(out, u)
		return nil
	})
	return out, err
}
