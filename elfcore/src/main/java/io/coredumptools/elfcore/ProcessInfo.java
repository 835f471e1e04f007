package io.coredumptools.elfcore;

/** The process as NT_PRPSINFO recorded it: ids, state, the executable's short name and the command line (80 chars max). */
public record ProcessInfo(
        int pid, int ppid, int pgrp, int sid, int uid, int gid, char state, String fileName, String commandLine) {}
