//! AES DUKPT (ANSI X9.24-3:2017 §6). Work in progress.
