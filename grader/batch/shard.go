package batch

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"path/filepath"
	"strconv"
	"strings"

	"asynclab/grader"
)

// Shard is a stable share of a class: the students whose id hashes to
// Index modulo Count. Index counts from 0, like Kubernetes'
// JOB_COMPLETION_INDEX. The zero Shard is the whole class.
type Shard struct {
	Index, Count int
}

// ParseShard reads "I/N", with 0 <= I < N.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	index, err1 := strconv.Atoi(strings.TrimSpace(i))
	count, err2 := strconv.Atoi(strings.TrimSpace(n))
	if !ok || err1 != nil || err2 != nil || count < 1 || index < 0 || index >= count {
		return Shard{}, fmt.Errorf("--shard %q: want I/N with 0 <= I < N, for example 0/4 (shards count from 0)", s)
	}
	return Shard{Index: index, Count: count}, nil
}

func (s Shard) String() string {
	if s.Count <= 1 {
		return "0/1"
	}
	return fmt.Sprintf("%d/%d", s.Index, s.Count)
}

// Has reports whether student id belongs to the shard: FNV-1a of the id,
// modulo Count. It depends on the id alone, so a student stays in the same
// shard whoever else is in the class.
func (s Shard) Has(id string) bool {
	if s.Count <= 1 {
		return true
	}
	h := fnv.New64a()
	h.Write([]byte(id))
	return h.Sum64()%uint64(s.Count) == uint64(s.Index)
}

// ExerciseInfo is what the outputs need to know of an exercise when no
// course is at hand (merge): its name, title and points, in course order.
type ExerciseInfo struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	Max   int    `json:"max"`
}

// Exercises describes the course's exercises for the outputs.
func Exercises(c *grader.Course) []ExerciseInfo {
	out := make([]ExerciseInfo, len(c.Exercises))
	for i, e := range c.Exercises {
		out[i] = ExerciseInfo{Name: e.Name, Title: e.Title, Max: e.Max()}
	}
	return out
}

// ShardFile is shard.json: which students an output folder is responsible
// for, so that Merge can tell a missing shard or a missing student from a
// complete set.
type ShardFile struct {
	Shard     string         `json:"shard"` // "I/N"
	Index     int            `json:"index"`
	Count     int            `json:"count"`
	IDs       []string       `json:"ids"`            // this shard's students, sorted
	Total     int            `json:"total"`          // students in the whole class (every shard)
	AllIDs    string         `json:"all_ids_sha256"` // SHA-256 of the whole class's sorted ids, one per line
	Exercises []ExerciseInfo `json:"exercises"`
	Isolation string         `json:"isolation"`
	Refused   []Note         `json:"refused,omitempty"` // submissions not graded because of their name (see Run), and why; every shard has them all
	Skipped   []Note         `json:"skipped,omitempty"` // entries of SUBMISSIONS that are not submissions, and why; every shard has them all
}

// idsDigest is ShardFile.AllIDs of the sorted ids.
func idsDigest(sorted []string) string {
	h := sha256.New()
	for _, id := range sorted {
		h.Write([]byte(id + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

func saveShardFile(out string, sf *ShardFile) error {
	data, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(out, "shard.json"), append(data, '\n'))
}

// LoadShardFile reads dir/shard.json: a regular file of at most
// MaxStateFile bytes (readState). Its ids are not checked: a caller joins
// one into a path only once intake.CheckID took it.
func LoadShardFile(dir string) (*ShardFile, error) {
	data, err := readState(filepath.Join(dir, "shard.json"))
	if err != nil {
		return nil, fmt.Errorf("%s is not the output of grader batch: %w", dir, err)
	}
	var sf ShardFile
	if err := json.Unmarshal(data, &sf); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "shard.json"), err)
	}
	return &sf, nil
}
