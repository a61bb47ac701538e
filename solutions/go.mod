module asynclab/solutions

go 1.26
