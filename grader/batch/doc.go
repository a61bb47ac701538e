// Package batch grades a class: every student's submission with the
// instructor's full set of checks, several students at once, each result
// written to disk the moment it is ready, so that a batch killed at any
// point resumes where it stopped. From the per-student results it writes
// the class's grades (grades.csv, grades.json), what each student is sent
// (feedback/<id>.md) and a report for the instructor (report.html).
//
// A batch can be split into shards by a hash of the student id (Shard),
// graded on several machines, and combined with Merge.
//
// Layout of an output folder:
//
//	results/<id>.json   one Result per student, written atomically
//	shard.json          which share of the class this folder holds (ShardFile)
//	scratch/            unpacked submissions while they are graded
//	grades.csv, grades.json, feedback/<id>.md, report.html
package batch
