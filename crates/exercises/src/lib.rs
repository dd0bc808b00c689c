//! The exercise file format and the grader (built in a later issue).
