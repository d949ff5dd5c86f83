// SPDX-License-Identifier: MIT
/*
 * The control socket: the request lines against a softkvm VM without
 * vCPU threads (status, pause/resume counting, quit, bad input), and the
 * socket itself (stale and foreign files at the path, one client served
 * through control_service(), removal at close).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "unit.h"
#include "config.h"
#include "control.h"
#include "log.h"
#include "vm.h"

struct fix {
	struct zvmm_config cfg;
	struct guest_mem mem;
	struct elf_image img;
	struct vm vm;
	struct control ctl;
	char dir[64];
	char path[128];
	char reply[CONTROL_REPLY_MAX];
};

static int setup(void **state)
{
	static struct fix f;

	memset(&f, 0, sizeof(f));
	log_set_quiet(true);
	config_defaults(&f.cfg);
	f.cfg.cpus = 2;
	f.cfg.mem_size = 1ULL << 20;
	assert_int_equal(guest_mem_alloc(&f.mem, f.cfg.mem_size), 0);
	f.img.start_addr = 0x20000;
	assert_int_equal(vm_create(&f.vm, &f.cfg, ACCEL_SOFT, &f.mem, &f.img), 0);
	f.ctl.listen_fd = f.ctl.client_fd = -1;
	strcpy(f.dir, "/tmp/zvmm-ctl-XXXXXX");
	assert_non_null(mkdtemp(f.dir));
	snprintf(f.path, sizeof(f.path), "%s/s", f.dir);
	*state = &f;
	return 0;
}

static int teardown(void **state)
{
	struct fix *f = *state;

	control_close(&f->ctl);
	unlink(f->path);
	rmdir(f->dir);
	vm_destroy(&f->vm);
	guest_mem_free(&f->mem);
	return 0;
}

static bool req(struct fix *f, const char *line)
{
	return control_request(&f->ctl, &f->vm, line, f->reply,
			       sizeof(f->reply));
}

static void test_status(void **state)
{
	struct fix *f = *state;

	assert_true(req(f, "status"));
	assert_string_equal(f->reply, "{\"ok\":true,\"state\":\"running\",\"cpus\":2,\"cpu\":[\"operating\",\"stopped\"]}");
}

static void test_pause_resume(void **state)
{
	struct fix *f = *state;

	assert_true(req(f, "pause"));
	assert_memory_equal(f->reply, "{\"ok\":true,\"state\":\"paused\",\"pause_us\":", 39);
	assert_int_equal(f->vm.pause_count, 1);
	assert_true(req(f, "pause"));		/* idempotent */
	assert_string_equal(f->reply, "{\"ok\":true,\"state\":\"paused\"}");
	assert_int_equal(f->vm.pause_count, 1);
	assert_true(req(f, "status"));
	assert_string_equal(f->reply, "{\"ok\":true,\"state\":\"paused\",\"cpus\":2,\"cpu\":[\"operating\",\"stopped\"]}");
	assert_true(req(f, "resume"));
	assert_string_equal(f->reply, "{\"ok\":true,\"state\":\"running\"}");
	assert_int_equal(f->vm.pause_count, 0);
	assert_true(req(f, "resume"));
	assert_int_equal(f->vm.pause_count, 0);
}

static void test_quit(void **state)
{
	struct fix *f = *state;

	f->vm.exit_code = 99;
	assert_true(req(f, "quit"));
	assert_string_equal(f->reply, "{\"ok\":true,\"state\":\"quitting\"}");
	assert_true(f->vm.over);
	assert_int_equal(f->vm.exit_code, ZVMM_EXIT_QUIT);
	assert_true(req(f, "status"));
	assert_string_equal(f->reply, "{\"ok\":true,\"state\":\"stopped\",\"cpus\":2,\"cpu\":[\"operating\",\"stopped\"]}");
	assert_false(req(f, "pause"));
	assert_string_equal(f->reply, "{\"ok\":false,\"error\":\"the VM has stopped\"}");
	assert_false(req(f, "resume"));
}

static void test_bad_requests(void **state)
{
	static const char *const bad[] = {
		"", " ", "dance", "STATUS", "status now", "pause 1", "quit x",
		"migrate", "st\001atus", "\377", "averyveryverylongcommandname",
	};
	struct fix *f = *state;

	for (unsigned i = 0; i < ARRAY_SIZE(bad); i++) {
		assert_false(req(f, bad[i]));
		assert_memory_equal(f->reply, "{\"ok\":false,\"error\":", 20);
	}
	assert_false(req(f, "migrate unix:/nonexistent/zvmm-test.sock"));
	assert_non_null(strstr(f->reply, "cannot reach unix:"));
	assert_false(req(f, "migrate bogus:x"));
	assert_false(req(f, "snapshot"));
	assert_false(f->vm.over);
	assert_int_equal(f->vm.pause_count, 0);
}

static void test_path_checks(void **state)
{
	struct fix *f = *state;
	struct control other;
	FILE *fp;

	fp = fopen(f->path, "w");
	assert_non_null(fp);
	fclose(fp);
	assert_int_equal(control_open(&f->ctl, f->path), -EEXIST);
	unlink(f->path);

	assert_int_equal(control_open(&f->ctl, f->path), 0);
	/* A live socket is not taken over. */
	assert_int_equal(control_open(&other, f->path), -EADDRINUSE);
	/* A stale one is: close the listener but keep the file. */
	close(f->ctl.listen_fd);
	f->ctl.listen_fd = -1;
	f->ctl.path[0] = 0;
	assert_int_equal(control_open(&f->ctl, f->path), 0);
	control_close(&f->ctl);
	assert_int_equal(access(f->path, F_OK), -1);
	assert_int_equal(control_open(&f->ctl, "/tmp/"
		"0123456789012345678901234567890123456789012345678901234567890123456789"
		"0123456789012345678901234567890123456789"), -ENAMETOOLONG);
}

static int client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	strcpy(sa.sun_path, path);
	assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	return fd;
}

static void test_serve(void **state)
{
	struct fix *f = *state;
	struct stat st;
	char buf[256];
	ssize_t n;
	int fd;

	assert_int_equal(control_open(&f->ctl, f->path), 0);
	f->vm.control = &f->ctl;
	assert_int_equal(stat(f->path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	fd = client(f->path);
	control_service(&f->ctl, &f->vm, POLLIN);	/* accept */
	assert_true(f->ctl.client_fd >= 0);
	assert_int_equal(write(fd, "sta", 3), 3);
	control_service(&f->ctl, &f->vm, POLLIN);	/* half a line */
	assert_true(f->ctl.client_fd >= 0);
	assert_int_equal(write(fd, "tus\n", 4), 4);
	control_service(&f->ctl, &f->vm, POLLIN);
	assert_int_equal(f->ctl.client_fd, -1);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = 0;
	assert_string_equal(buf, "{\"ok\":true,\"state\":\"running\",\"cpus\":2,\"cpu\":[\"operating\",\"stopped\"]}\n");
	close(fd);

	/* Over-long: an error reply once the buffer is full. */
	fd = client(f->path);
	control_service(&f->ctl, &f->vm, POLLIN);
	memset(buf, 'x', sizeof(buf));
	assert_int_equal(write(fd, buf, CONTROL_LINE_MAX), CONTROL_LINE_MAX);
	control_service(&f->ctl, &f->vm, POLLIN);
	assert_int_equal(f->ctl.client_fd, -1);
	n = read(fd, buf, sizeof(buf) - 1);
	assert_true(n > 0);
	buf[n] = 0;
	assert_string_equal(buf, "{\"ok\":false,\"error\":\"request line too long\"}\n");
	close(fd);

	/* Gone mid-line: dropped. A silent client past its deadline too. */
	fd = client(f->path);
	control_service(&f->ctl, &f->vm, POLLIN);
	assert_int_equal(write(fd, "pau", 3), 3);
	close(fd);
	control_service(&f->ctl, &f->vm, POLLIN);
	control_service(&f->ctl, &f->vm, POLLIN);
	assert_int_equal(f->ctl.client_fd, -1);
	fd = client(f->path);
	control_service(&f->ctl, &f->vm, POLLIN);
	assert_true(f->ctl.client_fd >= 0);
	f->ctl.deadline_ns = vm_now_ns() - 1;
	assert_int_equal(control_timeout_ms(&f->ctl), 0);
	control_service(&f->ctl, &f->vm, 0);
	assert_int_equal(f->ctl.client_fd, -1);
	close(fd);
	assert_int_equal(f->vm.pause_count, 0);
	assert_false(f->vm.over);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_status),
		T(test_pause_resume),
		T(test_quit),
		T(test_bad_requests),
		T(test_path_checks),
		T(test_serve),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
