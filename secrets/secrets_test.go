package secrets

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
)

func TestKeyringProfiles(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	s := Open(dir, Options{})
	where, err := s.Set(Profile{Connector: "deepl", Type: "apikey"}, "k-secret-1")
	if err != nil || where != StorageKeyring {
		t.Fatalf("set: %q %v", where, err)
	}
	if _, err := s.Set(Profile{Connector: "deepl", Name: "work", Type: "apikey", In: "header", KeyName: "Authorization"}, "k-secret-2"); err != nil {
		t.Fatal(err)
	}
	p, err := s.Get("deepl", "")
	if err != nil || p.Name != DefaultProfile || p.Storage != StorageKeyring {
		t.Fatalf("get default: %+v %v", p, err)
	}
	sec, err := s.Secret(context.Background(), p)
	if err != nil || sec != "k-secret-1" {
		t.Fatalf("secret = %q %v", sec, err)
	}
	list, err := s.List()
	if err != nil || len(list) != 2 || list[0].Name != "default" || list[1].Name != "work" {
		t.Fatalf("list = %+v %v", list, err)
	}
	// Only metadata is on disk.
	b, err := os.ReadFile(filepath.Join(dir, "auth", "profiles.json"))
	if err != nil || strings.Contains(string(b), "k-secret") {
		t.Fatalf("profiles.json: %v\n%s", err, b)
	}
	if _, err := os.Stat(filepath.Join(dir, "auth", "secrets.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("secrets.json exists with a working keyring: %v", err)
	}
	if err := s.Delete("deepl", "work"); err != nil {
		t.Fatal(err)
	}
	if _, err := keyring.Get(Service, "deepl/work"); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("keyring still holds the deleted secret: %v", err)
	}
	if _, err := s.Get("deepl", "work"); !errors.Is(err, ErrNotFound) {
		t.Errorf("get deleted: %v", err)
	}
}

func TestNoKeyringNeedsInsecureStorage(t *testing.T) {
	keyring.MockInitWithError(errors.New("dbus: no session bus"))
	t.Cleanup(keyring.MockInit)
	dir := t.TempDir()
	_, err := Open(dir, Options{}).Set(Profile{Connector: "c", Type: "bearer"}, "tok-secret")
	if !errors.Is(err, ErrNoKeyring) || !strings.Contains(err.Error(), "--insecure-storage") || strings.Contains(err.Error(), "tok-secret") {
		t.Fatalf("err = %v, want ErrNoKeyring naming --insecure-storage", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "auth", "secrets.json")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a secret file was written without --insecure-storage")
	}
	s := Open(dir, Options{InsecureStorage: true})
	where, err := s.Set(Profile{Connector: "c", Type: "bearer"}, "tok-secret")
	if err != nil || where != StorageFile {
		t.Fatalf("insecure set: %q %v", where, err)
	}
	st, err := os.Stat(filepath.Join(dir, "auth", "secrets.json"))
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("secrets.json mode %v err %v, want 0600", st.Mode().Perm(), err)
	}
	dst, err := os.Stat(filepath.Join(dir, "auth"))
	if err != nil || dst.Mode().Perm() != 0o700 {
		t.Fatalf("auth folder mode %v, want 0700", dst.Mode().Perm())
	}
	p, _ := s.Get("c", "")
	if sec, err := s.Secret(context.Background(), p); err != nil || sec != "tok-secret" {
		t.Fatalf("secret = %q %v", sec, err)
	}
	if err := s.Delete("c", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "auth", "secrets.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("secrets.json left after deleting its only secret")
	}
}

func TestEnvAndCommandSecrets(t *testing.T) {
	keyring.MockInit()
	s := Open(t.TempDir(), Options{})
	t.Setenv("E1_TEST_TOKEN", " tok-env \n")
	if _, err := s.Set(Profile{Connector: "c", Name: "env", Type: "bearer", Env: "E1_TEST_TOKEN"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Set(Profile{Connector: "c", Name: "cmd", Type: "bearer", Command: "printf 'tok-cmd\\n'"}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Set(Profile{Connector: "c", Name: "bad", Type: "bearer", Command: "echo oops >&2; exit 3"}, ""); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{"env": "tok-env", "cmd": "tok-cmd"} {
		p, _ := s.Get("c", name)
		if got, err := s.Secret(context.Background(), p); err != nil || got != want {
			t.Errorf("%s: %q %v, want %q", name, got, err, want)
		}
	}
	p, _ := s.Get("c", "bad")
	if _, err := s.Secret(context.Background(), p); !errors.Is(err, ErrNoSecret) || !strings.Contains(err.Error(), "oops") {
		t.Errorf("failing command: %v", err)
	}
	t.Setenv("E1_TEST_TOKEN", "")
	p, _ = s.Get("c", "env")
	if _, err := s.Secret(context.Background(), p); !errors.Is(err, ErrNoSecret) || !strings.Contains(err.Error(), "E1_TEST_TOKEN") {
		t.Errorf("empty env: %v", err)
	}
}

func TestProfileValidation(t *testing.T) {
	keyring.MockInit()
	s := Open(t.TempDir(), Options{})
	for _, tc := range []struct {
		p      Profile
		secret string
		want   string
	}{
		{Profile{Connector: "c", Type: "digest"}, "x", `type "digest"`},
		{Profile{Connector: "c", Type: "basic"}, "nocolon", "user:password"},
		{Profile{Connector: "c", Type: "bearer", Env: "X"}, "also", "exactly one"},
		{Profile{Connector: "c", Type: "bearer"}, "", "exactly one"},
		{Profile{Connector: "c/d", Type: "bearer"}, "x", "cannot hold"},
		{Profile{Connector: "c", Type: "apikey", In: "cookie"}, "x", `in "cookie"`},
	} {
		_, err := s.Set(tc.p, tc.secret)
		if !errors.Is(err, ErrBadProfile) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%+v: err = %v, want %q", tc.p, err, tc.want)
		}
		if tc.secret != "" && err != nil && strings.Contains(err.Error(), tc.secret) && tc.secret != "x" {
			t.Errorf("error shows the secret: %v", err)
		}
	}
}

func TestProfileBinding(t *testing.T) {
	keyring.MockInit()
	s := Open(t.TempDir(), Options{})
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if _, err := s.Set(Profile{Connector: "mailer", Type: "apikey", Scheme: "HTTPS", Host: "API.Mailer.example", UpdatedAt: at}, "k-123456"); err != nil {
		t.Fatal(err)
	}
	p, err := s.Get("mailer", "")
	if err != nil {
		t.Fatal(err)
	}
	if p.Scheme != "https" || p.Host != "api.mailer.example" || !p.BoundAt.Equal(at) || !p.Bound() {
		t.Fatalf("binding %+v", p)
	}
	// A new secret without a binding keeps the old binding.
	if _, err := s.Set(Profile{Connector: "mailer", Type: "apikey"}, "k-654321"); err != nil {
		t.Fatal(err)
	}
	if p, _ = s.Get("mailer", ""); p.Host != "api.mailer.example" {
		t.Fatalf("binding lost on a new secret: %+v", p)
	}
	// Rebind.
	p, err = s.Bind("mailer", "", "http", "127.0.0.1:8080", at)
	if err != nil || p.Scheme != "http" || p.Host != "127.0.0.1:8080" {
		t.Fatalf("bind: %+v %v", p, err)
	}
	if p, _ = s.Get("mailer", ""); p.Host != "127.0.0.1:8080" {
		t.Fatalf("bind not saved: %+v", p)
	}
	for _, bad := range []struct{ scheme, host string }{{"ftp", "h"}, {"https", "evil.example/path"}, {"https", "user@h"}, {"", "h"}} {
		if _, err := s.Bind("mailer", "", bad.scheme, bad.host, at); !errors.Is(err, ErrBadProfile) {
			t.Errorf("bind %v: %v", bad, err)
		}
	}
	if _, err := s.Bind("nobody", "", "https", "h", at); !errors.Is(err, ErrNotFound) {
		t.Errorf("bind of a missing profile: %v", err)
	}
	if _, err := s.Set(Profile{Connector: "x", Type: "apikey", Scheme: "gopher", Host: "h"}, "k"); !errors.Is(err, ErrBadProfile) {
		t.Errorf("set with a bad binding: %v", err)
	}
}
