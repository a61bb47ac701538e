// Package gradescope holds no Go code: the folder is the Gradescope
// autograder's setup.sh and run_autograder (see README.md), and this
// package's test checks them.
package gradescope
