// Package secrets keeps auth profiles for test calls: the non-secret
// metadata (type, key name, env var, command) in a file, the secret itself
// in the OS keyring. Without a keyring, and only when the caller allows it
// explicitly, the secret goes to a 0600 file in a 0700 folder.
package secrets

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/gofrs/flock"
	"github.com/google/renameio/v2"
	"github.com/zalando/go-keyring"
)

// Service is the keyring service name of every connex secret.
const Service = "connex"

// DefaultProfile is used when no profile is named.
const DefaultProfile = "default"

// Where a profile's secret comes from.
const (
	StorageKeyring = "keyring"
	StorageFile    = "file" // --insecure-storage
	StorageEnv     = "env"
	StorageCommand = "command"
)

// Sentinel errors.
var (
	ErrNotFound   = errors.New("no such auth profile")
	ErrNoKeyring  = errors.New("no OS keyring available")
	ErrNoSecret   = errors.New("secret unavailable")
	ErrBadProfile = errors.New("invalid auth profile")
)

// Profile is one way to authenticate to one connector. It holds no secret.
type Profile struct {
	Connector string `json:"connector"`
	Name      string `json:"profile"`
	Type      string `json:"type"` // apikey, basic, bearer
	// In and KeyName override where an API key goes (default: as the
	// connector declares).
	In      string `json:"in,omitempty"`
	KeyName string `json:"key_name,omitempty"`
	// Env names the environment variable holding the secret.
	Env string `json:"env,omitempty"`
	// Command prints the secret (e.g. a token) on its standard output.
	Command   string    `json:"command,omitempty"`
	Storage   string    `json:"storage"`
	UpdatedAt time.Time `json:"updated_at"`
	// Scheme and Host (host[:port], lower case) are where the secret may
	// be sent: the connector's definition when the profile was saved.
	// A call to another host, or over http when it was https, needs an
	// explicit rebind (package call): a later import that claims the
	// connector by its name cannot take the secret along. A profile saved
	// before bindings existed has none until its first call, which binds
	// it to the connector's definition at that time (call.BindProfile).
	Scheme string `json:"scheme,omitempty"`
	Host   string `json:"host,omitempty"`
	// BoundAt is when Scheme and Host were set.
	BoundAt time.Time `json:"bound_at,omitzero"`
}

// Bound reports whether the profile is bound to a host.
func (p Profile) Bound() bool { return p.Host != "" }

// Key is the profile's key in the keyring and the secrets file.
func (p Profile) Key() string { return p.Connector + "/" + p.Name }

// Options configure a Store.
type Options struct {
	// InsecureStorage allows a plain 0600 file when no keyring works.
	InsecureStorage bool
	// CommandTimeout bounds a secret command (default 30 s).
	CommandTimeout time.Duration
}

// Store reads and writes profiles under a folder (the data folder's "auth").
type Store struct {
	dir  string
	opts Options
}

// Open returns the store in dataDir/auth.
func Open(dataDir string, opts Options) *Store {
	if opts.CommandTimeout <= 0 {
		opts.CommandTimeout = 30 * time.Second
	}
	return &Store{dir: filepath.Join(dataDir, "auth"), opts: opts}
}

// Dir is the store's folder.
func (s *Store) Dir() string { return s.dir }

func (s *Store) profilesPath() string { return filepath.Join(s.dir, "profiles.json") }
func (s *Store) secretsPath() string  { return filepath.Join(s.dir, "secrets.json") }

// Set saves a profile and its secret. With p.Env or p.Command set, secret
// must be empty: the secret is read at call time and never stored.
// It reports where the secret went (StorageKeyring, StorageFile, ...).
func (s *Store) Set(p Profile, secret string) (string, error) {
	if err := validate(&p, secret); err != nil {
		return "", err
	}
	unlock, err := s.lock()
	if err != nil {
		return "", err
	}
	defer unlock()
	all, err := s.readProfiles()
	if err != nil {
		return "", err
	}
	switch {
	case p.Env != "":
		p.Storage = StorageEnv
	case p.Command != "":
		p.Storage = StorageCommand
	default:
		if kerr := keyring.Set(Service, p.Key(), secret); kerr == nil {
			p.Storage = StorageKeyring
			// A secret left in the file by an earlier insecure save must go.
			if err := s.fileDelete(p.Key()); err != nil {
				return "", err
			}
		} else if s.opts.InsecureStorage {
			if err := s.fileSet(p.Key(), secret); err != nil {
				return "", err
			}
			p.Storage = StorageFile
		} else {
			return "", fmt.Errorf("save secret of %s: %w (%v); install or unlock a keyring (Secret Service, Keychain, Credential Manager), or pass --insecure-storage to keep it in a 0600 file under %s",
				p.Key(), ErrNoKeyring, kerr, s.dir)
		}
	}
	if p.Storage != StorageKeyring {
		// Switching to env/command/file: drop the old keyring copy.
		_ = keyring.Delete(Service, p.Key())
	}
	if p.Storage == StorageEnv || p.Storage == StorageCommand {
		if err := s.fileDelete(p.Key()); err != nil {
			return "", err
		}
	}
	if p.UpdatedAt.IsZero() {
		p.UpdatedAt = time.Now().UTC()
	}
	if p.Bound() && p.BoundAt.IsZero() {
		p.BoundAt = p.UpdatedAt
	}
	replaced := false
	for i := range all {
		if all[i].Key() == p.Key() {
			if !p.Bound() {
				// A new secret for the same profile keeps its binding:
				// setting a secret never widens where it may go.
				p.Scheme, p.Host, p.BoundAt = all[i].Scheme, all[i].Host, all[i].BoundAt
			}
			all[i] = p
			replaced = true
		}
	}
	if !replaced {
		all = append(all, p)
	}
	return p.Storage, s.writeProfiles(all)
}

func validate(p *Profile, secret string) error {
	if p.Connector == "" {
		return fmt.Errorf("%w: no connector", ErrBadProfile)
	}
	if p.Name == "" {
		p.Name = DefaultProfile
	}
	if strings.ContainsAny(p.Name, "/\\\n\r") || strings.ContainsAny(p.Connector, "/\\\n\r") {
		return fmt.Errorf("%w: names cannot hold /, \\ or line breaks", ErrBadProfile)
	}
	switch p.Type {
	case "apikey", "basic", "bearer":
	default:
		return fmt.Errorf("%w: type %q (want apikey, basic or bearer)", ErrBadProfile, p.Type)
	}
	if p.In != "" && p.In != "header" && p.In != "query" {
		return fmt.Errorf("%w: in %q (want header or query)", ErrBadProfile, p.In)
	}
	if err := validBinding(p.Scheme, p.Host); err != nil {
		return err
	}
	p.Scheme, p.Host = strings.ToLower(p.Scheme), strings.ToLower(p.Host)
	sources := 0
	for _, x := range []string{p.Env, p.Command} {
		if x != "" {
			sources++
		}
	}
	if secret != "" {
		sources++
	}
	if sources != 1 {
		return fmt.Errorf("%w: give exactly one of a secret (--secret-stdin), an environment variable or a command", ErrBadProfile)
	}
	if p.Type == "basic" && secret != "" && !strings.Contains(secret, ":") {
		return fmt.Errorf("%w: a basic secret is user:password (no colon found)", ErrBadProfile)
	}
	return nil
}

func validBinding(scheme, host string) error {
	if host == "" && scheme == "" {
		return nil
	}
	switch strings.ToLower(scheme) {
	case "http", "https":
	default:
		return fmt.Errorf("%w: binding scheme %q (want http or https)", ErrBadProfile, scheme)
	}
	if host == "" || strings.ContainsAny(host, "/\\@ \n\r\t") {
		return fmt.Errorf("%w: binding host %q (want host or host:port)", ErrBadProfile, host)
	}
	return nil
}

// Bind records where the profile's secret may be sent (scheme and
// host[:port]): on the first call of a profile saved before bindings
// existed, and on an explicit rebind. It returns the updated profile.
func (s *Store) Bind(connector, name, scheme, host string, at time.Time) (Profile, error) {
	if name == "" {
		name = DefaultProfile
	}
	if host == "" {
		return Profile{}, fmt.Errorf("%w: no host to bind to", ErrBadProfile)
	}
	if err := validBinding(scheme, host); err != nil {
		return Profile{}, err
	}
	unlock, err := s.lock()
	if err != nil {
		return Profile{}, err
	}
	defer unlock()
	all, err := s.readProfiles()
	if err != nil {
		return Profile{}, err
	}
	for i := range all {
		if strings.EqualFold(all[i].Connector, connector) && all[i].Name == name {
			all[i].Scheme, all[i].Host, all[i].BoundAt = strings.ToLower(scheme), strings.ToLower(host), at.UTC()
			if err := s.writeProfiles(all); err != nil {
				return Profile{}, err
			}
			return all[i], nil
		}
	}
	return Profile{}, fmt.Errorf("auth profile %q of %s: %w", name, connector, ErrNotFound)
}

// Get returns one profile.
func (s *Store) Get(connector, name string) (Profile, error) {
	if name == "" {
		name = DefaultProfile
	}
	all, err := s.readProfiles()
	if err != nil {
		return Profile{}, err
	}
	for _, p := range all {
		if strings.EqualFold(p.Connector, connector) && p.Name == name {
			return p, nil
		}
	}
	return Profile{}, fmt.Errorf("auth profile %q of %s: %w (create it with 'connex auth set %s --profile %s --secret-stdin')",
		name, connector, ErrNotFound, connector, name)
}

// List returns every profile, sorted by connector and name.
func (s *Store) List() ([]Profile, error) {
	all, err := s.readProfiles()
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Connector != all[j].Connector {
			return all[i].Connector < all[j].Connector
		}
		return all[i].Name < all[j].Name
	})
	return all, nil
}

// Delete removes a profile and its stored secret.
func (s *Store) Delete(connector, name string) error {
	if name == "" {
		name = DefaultProfile
	}
	unlock, err := s.lock()
	if err != nil {
		return err
	}
	defer unlock()
	all, err := s.readProfiles()
	if err != nil {
		return err
	}
	kept := all[:0]
	var gone *Profile
	for i := range all {
		if strings.EqualFold(all[i].Connector, connector) && all[i].Name == name {
			p := all[i]
			gone = &p
			continue
		}
		kept = append(kept, all[i])
	}
	if gone == nil {
		return fmt.Errorf("auth profile %q of %s: %w", name, connector, ErrNotFound)
	}
	if gone.Storage == StorageKeyring {
		if err := keyring.Delete(Service, gone.Key()); err != nil && !errors.Is(err, keyring.ErrNotFound) {
			return fmt.Errorf("delete secret of %s from the keyring: %w", gone.Key(), err)
		}
	}
	if err := s.fileDelete(gone.Key()); err != nil {
		return err
	}
	return s.writeProfiles(kept)
}

// Secret returns the profile's secret from wherever it lives. Errors never
// contain the secret.
func (s *Store) Secret(ctx context.Context, p Profile) (string, error) {
	switch p.Storage {
	case StorageKeyring:
		v, err := keyring.Get(Service, p.Key())
		if err != nil {
			return "", fmt.Errorf("secret of %s: %w: keyring: %v (set it again with 'connex auth set %s --profile %s --secret-stdin')", p.Key(), ErrNoSecret, err, p.Connector, p.Name)
		}
		return v, nil
	case StorageFile:
		v, ok, err := s.fileGet(p.Key())
		if err != nil {
			return "", err
		}
		if !ok {
			return "", fmt.Errorf("secret of %s: %w: not in %s", p.Key(), ErrNoSecret, s.secretsPath())
		}
		return v, nil
	case StorageEnv:
		v := strings.TrimSpace(os.Getenv(p.Env))
		if v == "" {
			return "", fmt.Errorf("secret of %s: %w: environment variable %s is empty or unset", p.Key(), ErrNoSecret, p.Env)
		}
		return v, nil
	case StorageCommand:
		return s.runCommand(ctx, p)
	}
	return "", fmt.Errorf("secret of %s: %w: unknown storage %q", p.Key(), ErrBadProfile, p.Storage)
}

// runCommand runs the profile's command and returns its trimmed output.
// The command's output is never put in an error.
func (s *Store) runCommand(ctx context.Context, p Profile) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, s.opts.CommandTimeout)
	defer cancel()
	var cmd *exec.Cmd
	if runtime.GOOS == "windows" {
		cmd = exec.CommandContext(ctx, "cmd", "/C", p.Command)
	} else {
		cmd = exec.CommandContext(ctx, "sh", "-c", p.Command)
	}
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		msg := strings.TrimSpace(stderr.String())
		if len(msg) > 200 {
			msg = msg[:200] + "..."
		}
		return "", fmt.Errorf("secret of %s: %w: command %q failed: %v %s", p.Key(), ErrNoSecret, p.Command, err, msg)
	}
	v := strings.TrimSpace(stdout.String())
	if v == "" {
		return "", fmt.Errorf("secret of %s: %w: command %q printed nothing", p.Key(), ErrNoSecret, p.Command)
	}
	return v, nil
}

// lock serialises writers of the profile and secret files.
func (s *Store) lock() (func(), error) {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return nil, fmt.Errorf("auth folder %s: %w", s.dir, err)
	}
	l := flock.New(filepath.Join(s.dir, ".lock"))
	if err := l.Lock(); err != nil {
		return nil, fmt.Errorf("auth folder %s: lock: %w", s.dir, err)
	}
	return func() { _ = l.Unlock() }, nil
}

type profilesFile struct {
	Profiles []Profile `json:"profiles"`
}

func (s *Store) readProfiles() ([]Profile, error) {
	b, err := os.ReadFile(s.profilesPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("auth profiles %s: %w", s.profilesPath(), err)
	}
	var f profilesFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("auth profiles %s: %w (fix or delete the file)", s.profilesPath(), err)
	}
	return f.Profiles, nil
}

func (s *Store) writeProfiles(all []Profile) error {
	if all == nil {
		all = []Profile{}
	}
	b, err := json.MarshalIndent(profilesFile{Profiles: all}, "", "  ")
	if err != nil {
		return err
	}
	if err := renameio.WriteFile(s.profilesPath(), append(b, '\n'), 0o600, renameio.WithTempDir(filepath.Dir(s.profilesPath()))); err != nil {
		return fmt.Errorf("auth profiles %s: %w", s.profilesPath(), err)
	}
	return nil
}

// The insecure file: {"connector/profile": "secret"}, 0600 in a 0700 folder.

func (s *Store) readSecrets() (map[string]string, error) {
	b, err := os.ReadFile(s.secretsPath())
	if errors.Is(err, os.ErrNotExist) {
		return map[string]string{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("secrets file %s: %w", s.secretsPath(), err)
	}
	m := map[string]string{}
	if err := json.Unmarshal(b, &m); err != nil {
		// Never quote the content: it is secret.
		return nil, fmt.Errorf("secrets file %s is damaged (delete it and set the secrets again)", s.secretsPath())
	}
	return m, nil
}

func (s *Store) writeSecrets(m map[string]string) error {
	if err := os.MkdirAll(s.dir, 0o700); err != nil {
		return fmt.Errorf("auth folder %s: %w", s.dir, err)
	}
	if err := os.Chmod(s.dir, 0o700); err != nil {
		return fmt.Errorf("auth folder %s: %w", s.dir, err)
	}
	if len(m) == 0 {
		if err := os.Remove(s.secretsPath()); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("secrets file %s: %w", s.secretsPath(), err)
		}
		return nil
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	if err := renameio.WriteFile(s.secretsPath(), b, 0o600, renameio.WithTempDir(filepath.Dir(s.secretsPath()))); err != nil {
		return fmt.Errorf("secrets file %s: %w", s.secretsPath(), err)
	}
	return nil
}

func (s *Store) fileSet(key, secret string) error {
	m, err := s.readSecrets()
	if err != nil {
		return err
	}
	m[key] = secret
	return s.writeSecrets(m)
}

func (s *Store) fileGet(key string) (string, bool, error) {
	m, err := s.readSecrets()
	if err != nil {
		return "", false, err
	}
	v, ok := m[key]
	return v, ok, nil
}

func (s *Store) fileDelete(key string) error {
	m, err := s.readSecrets()
	if err != nil {
		return err
	}
	if _, ok := m[key]; !ok {
		return nil
	}
	delete(m, key)
	return s.writeSecrets(m)
}

// SecretsFile is the insecure secrets file's path (for warnings).
func (s *Store) SecretsFile() string { return s.secretsPath() }
