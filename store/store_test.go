package store_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/lantoa/lantoa/store"
)

func TestEmbeddedDataSurvivesRestart(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := store.Open(ctx, store.Options{DataDir: dir, Database: "restart"})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Embedded {
		t.Fatal("no URI given, yet the store is not embedded")
	}
	if _, err := st.DB.Collection("things").InsertOne(ctx, bson.M{"_id": "a", "name": "Thôn Đông"}); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(ctx); err != nil {
		t.Fatal(err)
	}
	if err := st.Ping(ctx); err == nil {
		t.Fatal("ping succeeded on a closed store")
	}

	st, err = store.Open(ctx, store.Options{DataDir: dir, Database: "restart"})
	if err != nil {
		t.Fatalf("reopening: %v", err)
	}
	defer st.Close(ctx)
	var got struct{ Name string }
	if err := st.DB.Collection("things").FindOne(ctx, bson.M{"_id": "a"}).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if got.Name != "Thôn Đông" {
		t.Fatalf("after restart the name is %q", got.Name)
	}
	info, err := os.Stat(filepath.Join(dir, "db"))
	if err != nil || info.Mode().Perm() != 0o700 {
		t.Fatalf("db folder mode %v (%v), want 0700", info.Mode().Perm(), err)
	}
}

func TestEmbeddedListensOnUnixSocketOnly(t *testing.T) {
	t.Parallel()
	eng, err := store.StartEngine(context.Background(), store.EngineOptions{DataDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer eng.Stop()
	if eng.Socket == "" || !strings.HasPrefix(eng.URI(), "mongodb://%2F") {
		t.Fatalf("engine URI %q is not a Unix socket", eng.URI())
	}
	info, err := os.Stat(eng.Socket)
	if err != nil || info.Mode()&os.ModeSocket == 0 {
		t.Fatalf("no socket at %s: %v", eng.Socket, err)
	}
}

func TestOpenErrorsNameTheSetting(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(ctx, store.Options{DataDir: file})
	if err == nil || !strings.Contains(err.Error(), "LANTOA_DATA") {
		t.Fatalf("data folder under a file: error %v does not name LANTOA_DATA", err)
	}
	_, err = store.Open(ctx, store.Options{URI: "mongodb://user:secret@127.0.0.1:1/?serverSelectionTimeoutMS=300&connectTimeoutMS=300"})
	if err == nil || !strings.Contains(err.Error(), "MONGODB_URI") {
		t.Fatalf("unreachable server: error %v does not name MONGODB_URI", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Fatalf("the error shows the password: %v", err)
	}
}
