/*
 * rss.c - run a command; report its wall time and peak resident memory.
 *
 *   rss [-o FILE] [-t SECONDS] COMMAND [ARG...]
 *
 * Runs COMMAND (searched in PATH) with the same standard streams, waits for
 * it with wait4() and writes one line to FILE (default: standard error):
 *
 *   wall_s=1.234 maxrss_kb=56789 status=0
 *
 * maxrss_kb is the child's peak resident set (ru_maxrss, which on Linux
 * also covers descendants it waited for).  status is the exit status, or
 * 128 + the signal that ended it.  With -t, a command still running after
 * SECONDS is killed with SIGKILL and the line ends in " timeout=1".  The
 * exit status of rss is the command's status (127 when it cannot be run).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t timed_out;
static pid_t child;

static void on_alarm(int sig)
{
	(void)sig;
	timed_out = 1;
	if (child > 0)
		kill(child, SIGKILL);
}

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void usage(void)
{
	fputs("usage: rss [-o FILE] [-t SECONDS] COMMAND [ARG...]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out_path = NULL;
	unsigned timeout = 0;
	struct rusage ru;
	struct sigaction sa;
	double t0, wall;
	int opt, status, code;
	FILE *out = stderr;
	pid_t w;
	while ((opt = getopt(argc, argv, "+o:t:")) != -1) {
		if (opt == 'o')
			out_path = optarg;
		else if (opt == 't')
			timeout = (unsigned)strtoul(optarg, NULL, 10);
		else
			usage();
	}
	if (optind >= argc)
		usage();
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	t0 = now();
	child = fork();
	if (child < 0) {
		perror("rss: fork");
		return 127;
	}
	if (child == 0) {
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "rss: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	if (timeout)
		alarm(timeout);
	while ((w = wait4(child, &status, 0, &ru)) < 0 && errno == EINTR)
		;
	wall = now() - t0;
	alarm(0);
	if (w < 0) {
		perror("rss: wait4");
		return 127;
	}
	code = WIFEXITED(status) ? WEXITSTATUS(status) :
	       WIFSIGNALED(status) ? 128 + WTERMSIG(status) : 127;
	if (out_path && !(out = fopen(out_path, "w"))) {
		perror(out_path);
		return 127;
	}
	fprintf(out, "wall_s=%.3f maxrss_kb=%ld status=%d%s\n", wall,
	        ru.ru_maxrss, code, timed_out ? " timeout=1" : "");
	if (out != stderr)
		fclose(out);
	return code;
}
