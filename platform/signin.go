package platform

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/Azure/azure-sdk-for-go/sdk/azcore"
	"github.com/Azure/azure-sdk-for-go/sdk/azcore/policy"
	"github.com/Azure/azure-sdk-for-go/sdk/azidentity"

	"github.com/connex-dev/connex/internal/atomicfile"
	"github.com/connex-dev/connex/internal/limitio"
)

// Sign-in methods.
const (
	MethodAuto   = "auto"   // the first that works: token, environment, device record, Azure CLI
	MethodToken  = "token"  // CONNEX_ACCESS_TOKEN: a token the script already holds
	MethodEnv    = "env"    // AZURE_TENANT_ID / AZURE_CLIENT_ID / AZURE_CLIENT_SECRET (or certificate)
	MethodCLI    = "cli"    // the Azure CLI's sign-in (az login)
	MethodDevice = "device" // an interactive device-code sign-in, tokens in the OS-protected cache
)

// Environment variables read.
const (
	EnvAccessToken = "CONNEX_ACCESS_TOKEN"
	EnvEndpoint    = "CONNEX_PLATFORM_URL" // one base URL for all three services (a local fake)
)

// Files in the config folder. Neither holds a token: the account record
// names the account (azidentity's AuthenticationRecord, which holds no
// secret), the settings the chosen environment.
const (
	recordFile   = "account.json"
	settingsFile = "platform.json"
	cacheName    = "connex"
)

// Settings are what connex remembers of the user's platform choices.
type Settings struct {
	Method      string `json:"method,omitempty"`
	Environment string `json:"environment,omitempty"`
	EnvName     string `json:"environment_name,omitempty"`
	Account     string `json:"account,omitempty"`
	Tenant      string `json:"tenant,omitempty"`
}

// LoadSettings reads the settings in dir (zero settings when none).
func LoadSettings(dir string) (Settings, error) {
	var s Settings
	if err := readJSONFile(filepath.Join(dir, settingsFile), &s); err != nil {
		return s, fmt.Errorf("%w (delete it and sign in again)", err)
	}
	return s, nil
}

// SaveSettings writes the settings to dir atomically.
func SaveSettings(dir string, s Settings) error {
	return writeJSONFile(filepath.Join(dir, settingsFile), s)
}

// readJSONFile decodes the JSON file at path into v; a missing file
// leaves v as it is. A file larger than maxConfigFile is refused.
func readJSONFile(path string, v any) error {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	data, over, err := limitio.ReadAll(f, maxConfigFile)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	if over {
		return fmt.Errorf("%s: larger than %d KiB, not a file connex wrote", path, maxConfigFile>>10)
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("%s: %v", path, err)
	}
	return nil
}

// writeJSONFile writes v as indented JSON to path, atomically, readable by
// the user only.
func writeJSONFile(path string, v any) error {
	data, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(data, '\n'))
}

// maxConfigFile bounds connex's own small files in the config folder.
const maxConfigFile = 1 << 20

// Identity says who is signed in.
type Identity struct {
	Method  string `json:"method"`
	Account string `json:"account,omitempty"`
	Tenant  string `json:"tenant,omitempty"`
}

// SignIn makes the credential connex uses.
type SignIn struct {
	// Dir is connex's config folder (the account record, the settings).
	Dir string
	// Method is one of the Method constants; "" is MethodAuto.
	Method string
	// Prompt shows the device-code message (where to go, which code).
	Prompt func(message string)
	// Tenant restricts sign-in to a tenant ("" lets the account choose).
	Tenant string
}

// Credential returns the credential for s.Method without prompting: a
// device-code sign-in must have been done with Login first.
func (s SignIn) Credential() (azcore.TokenCredential, Identity, error) {
	method := s.Method
	if method == "" {
		method = MethodAuto
	}
	try := []string{method}
	if method == MethodAuto {
		try = []string{MethodToken, MethodEnv, MethodDevice, MethodCLI}
	}
	var reasons []string
	for _, m := range try {
		cred, id, err := s.credential(m, false)
		if err == nil {
			return cred, id, nil
		}
		reasons = append(reasons, m+": "+err.Error())
	}
	return nil, Identity{}, fmt.Errorf("%w: %s; run connex login", ErrNotSignedIn, strings.Join(reasons, "; "))
}

func (s SignIn) credential(method string, interactive bool) (azcore.TokenCredential, Identity, error) {
	switch method {
	case MethodToken:
		tok := os.Getenv(EnvAccessToken)
		if tok == "" {
			return nil, Identity{}, errors.New(EnvAccessToken + " is not set")
		}
		id := Identity{Method: MethodToken}
		id.Account, id.Tenant = claims(tok)
		return StaticToken{Token: tok}, id, nil
	case MethodEnv:
		if os.Getenv("AZURE_CLIENT_ID") == "" || os.Getenv("AZURE_TENANT_ID") == "" {
			return nil, Identity{}, errors.New("AZURE_CLIENT_ID and AZURE_TENANT_ID are not set")
		}
		cred, err := azidentity.NewEnvironmentCredential(nil)
		if err != nil {
			return nil, Identity{}, err
		}
		return cred, Identity{Method: MethodEnv, Account: os.Getenv("AZURE_CLIENT_ID"), Tenant: os.Getenv("AZURE_TENANT_ID")}, nil
	case MethodCLI:
		if _, err := exec.LookPath("az"); err != nil {
			return nil, Identity{}, errors.New("the Azure CLI (az) is not installed")
		}
		cred, err := azidentity.NewAzureCLICredential(&azidentity.AzureCLICredentialOptions{TenantID: s.Tenant})
		if err != nil {
			return nil, Identity{}, err
		}
		return cred, Identity{Method: MethodCLI}, nil
	case MethodDevice:
		rec, err := s.loadRecord()
		if err != nil && !interactive {
			return nil, Identity{}, err
		}
		c, cerr := persistentCache()
		if cerr != nil && !interactive {
			// Without the OS-protected cache a device sign-in would
			// last one process: say so instead of prompting each time.
			return nil, Identity{}, fmt.Errorf("no persistent token cache on this system: %v", cerr)
		}
		prompt := s.Prompt
		cred, err := azidentity.NewDeviceCodeCredential(&azidentity.DeviceCodeCredentialOptions{
			AuthenticationRecord:           rec,
			Cache:                          c,
			TenantID:                       s.Tenant,
			DisableAutomaticAuthentication: !interactive,
			UserPrompt: func(_ context.Context, m azidentity.DeviceCodeMessage) error {
				if prompt != nil {
					prompt(m.Message)
				}
				return nil
			},
		})
		if err != nil {
			return nil, Identity{}, err
		}
		return deviceCredential{cred}, Identity{Method: MethodDevice, Account: rec.Username, Tenant: rec.TenantID}, nil
	}
	return nil, Identity{}, fmt.Errorf("unknown sign-in method %q (want auto, token, env, cli or device)", method)
}

type deviceCredential struct {
	*azidentity.DeviceCodeCredential
}

// Login signs in with s.Method (device code by default) and checks the
// result by asking for a Power Apps token; a device-code sign-in's account
// record is saved so later commands sign in silently.
func (s SignIn) Login(ctx context.Context) (Identity, error) {
	method := s.Method
	if method == "" || method == MethodAuto {
		method = MethodDevice
	}
	cred, id, err := s.credential(method, true)
	if err != nil {
		return Identity{}, err
	}
	opts := policy.TokenRequestOptions{Scopes: []string{AudiencePowerApps + ".default"}}
	if d, ok := cred.(deviceCredential); ok {
		rec, err := d.Authenticate(ctx, &opts)
		if err != nil {
			return Identity{}, fmt.Errorf("device sign-in: %w", err)
		}
		if err := s.saveRecord(rec); err != nil {
			return Identity{}, err
		}
		id.Account, id.Tenant = rec.Username, rec.TenantID
	} else {
		tok, err := cred.GetToken(ctx, opts)
		if err != nil {
			return Identity{}, fmt.Errorf("%s sign-in: %w", method, err)
		}
		if id.Account == "" {
			id.Account, id.Tenant = claims(tok.Token)
		}
	}
	st, err := LoadSettings(s.Dir)
	if err != nil {
		return Identity{}, err
	}
	st.Method, st.Account, st.Tenant = method, id.Account, id.Tenant
	return id, SaveSettings(s.Dir, st)
}

// Logout forgets the account: the record, the settings' account, and the
// device sign-in's token cache files. An Azure CLI sign-in is az's own
// (az logout).
func (s SignIn) Logout() error {
	if err := os.Remove(filepath.Join(s.Dir, recordFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	st, err := LoadSettings(s.Dir)
	if err != nil {
		return err
	}
	st.Method, st.Account, st.Tenant = "", "", ""
	if err := SaveSettings(s.Dir, st); err != nil {
		return err
	}
	for _, f := range tokenCacheFiles() {
		if err := os.Remove(f); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("removing the token cache %s: %w", f, err)
		}
	}
	return nil
}

// tokenCacheFiles are where azidentity's persistent cache keeps the
// encrypted tokens of the cache named cacheName on Linux and Windows (on
// macOS they are in the keychain).
func tokenCacheFiles() []string {
	var dir string
	if d := os.Getenv("LOCALAPPDATA"); d != "" {
		dir = d
	} else if d := os.Getenv("XDG_CACHE_HOME"); d != "" {
		dir = d
	} else if h, err := os.UserHomeDir(); err == nil {
		dir = filepath.Join(h, ".cache")
	}
	if dir == "" {
		return nil
	}
	base := filepath.Join(dir, ".IdentityService", cacheName)
	return []string{base, base + ".cae", base + ".lockfile", base + ".cae.lockfile"}
}

func (s SignIn) loadRecord() (azidentity.AuthenticationRecord, error) {
	var rec azidentity.AuthenticationRecord
	data, err := os.ReadFile(filepath.Join(s.Dir, recordFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return rec, errors.New("no device sign-in yet")
		}
		return rec, err
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return rec, fmt.Errorf("%s: %v", filepath.Join(s.Dir, recordFile), err)
	}
	return rec, nil
}

func (s SignIn) saveRecord(rec azidentity.AuthenticationRecord) error {
	data, err := json.MarshalIndent(rec, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(s.Dir, recordFile), append(data, '\n'))
}

// claims reads the account and tenant of a JWT access token, for display
// only (the token is not verified: the service does that).
func claims(tok string) (account, tenant string) {
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		return "", ""
	}
	data, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", ""
	}
	var c struct {
		UPN   string `json:"upn"`
		Email string `json:"unique_name"`
		Name  string `json:"preferred_username"`
		AppID string `json:"appid"`
		TID   string `json:"tid"`
	}
	if json.Unmarshal(data, &c) != nil {
		return "", ""
	}
	for _, a := range []string{c.UPN, c.Name, c.Email, c.AppID} {
		if a != "" {
			return a, c.TID
		}
	}
	return "", c.TID
}

// writeFileAtomic writes path atomically (internal/atomicfile: on every OS)
// in a folder only the user can read.
func writeFileAtomic(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	return atomicfile.WriteFile(path, data, 0o600)
}

// EndpointsFromEnv returns the endpoints to use: CONNEX_PLATFORM_URL (one
// base URL for a local fake) or the public cloud.
func EndpointsFromEnv() Endpoints {
	if u := strings.TrimRight(os.Getenv(EnvEndpoint), "/"); u != "" {
		return Endpoints{PowerApps: u, BAP: u, ARM: u}
	}
	return PublicCloud
}
