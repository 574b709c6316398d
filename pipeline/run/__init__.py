"""A batch run: its steps, the re-run cache, the executors, the output folder, the lines a
batch repeats, the comparison with a baseline, progress."""
