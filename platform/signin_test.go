package platform

import (
	"context"
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A token given to connex (here by CONNEX_ACCESS_TOKEN) is used, shown as
// its account and tenant, and written nowhere: not in the config folder,
// not in the cache folder, not in the home folder.
func TestSignInWithATokenWritesNoToken(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CACHE_HOME", filepath.Join(home, "cache"))
	t.Setenv("LOCALAPPDATA", "")
	payload := base64.RawURLEncoding.EncodeToString([]byte(`{"upn":"ada@contoso.com","tid":"72f988bf-0000"}`))
	tok := "eyJhbGciOiJub25lIn0." + payload + ".c2lnbmF0dXJl"
	t.Setenv(EnvAccessToken, tok)
	dir := filepath.Join(home, "config")

	s := SignIn{Dir: dir, Method: MethodToken}
	id, err := s.Login(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if id != (Identity{Method: MethodToken, Account: "ada@contoso.com", Tenant: "72f988bf-0000"}) {
		t.Errorf("identity = %+v", id)
	}
	st, err := LoadSettings(dir)
	if err != nil {
		t.Fatal(err)
	}
	if st.Account != "ada@contoso.com" || st.Method != MethodToken {
		t.Errorf("settings = %+v", st)
	}
	cred, id2, err := SignIn{Dir: dir}.Credential()
	if err != nil || id2.Method != MethodToken {
		t.Fatalf("auto credential = %v, %+v", err, id2)
	}
	if _, ok := cred.(StaticToken); !ok {
		t.Errorf("auto picked %T, want the given token", cred)
	}
	files := 0
	filepath.WalkDir(home, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, _ := os.ReadFile(p)
		if strings.Contains(string(data), tok) || strings.Contains(string(data), payload) {
			t.Errorf("%s holds the token", p)
		}
		return nil
	})
	if files != 1 {
		t.Errorf("files written = %d, want 1 (the settings)", files)
	}

	if err := s.Logout(); err != nil {
		t.Fatal(err)
	}
	st, _ = LoadSettings(dir)
	if st.Account != "" || st.Method != "" {
		t.Errorf("after logout: %+v", st)
	}
}

func TestNotSignedInSaysWhatToDo(t *testing.T) {
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv(EnvAccessToken, "")
	t.Setenv("AZURE_CLIENT_ID", "")
	t.Setenv("AZURE_TENANT_ID", "")
	t.Setenv("PATH", home) // no az
	_, _, err := SignIn{Dir: filepath.Join(home, "config")}.Credential()
	if err == nil || !strings.Contains(err.Error(), "run connex login") || !strings.Contains(err.Error(), "az) is not installed") {
		t.Errorf("err = %v", err)
	}
}
