DROP TABLE convention_signatures;
DROP TABLE convention_documents;
DROP TABLE conventions;
