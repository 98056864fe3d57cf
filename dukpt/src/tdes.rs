//! TDES DUKPT (ANSI X9.24-1:2009 Annex A). Work in progress.
