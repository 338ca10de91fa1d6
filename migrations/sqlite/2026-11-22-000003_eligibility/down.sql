DROP TABLE assessments;
DROP TABLE eligibility_snapshots;
