/* bench/receiver.c - the local webhook receiver of bench/webhooks.sh.
 *
 * It stands in for a machine elsewhere, so it should cost this one as little as possible: one thread, epoll, HTTP/1.1
 * keep-alive (the sender reuses its connections). Every POST is answered 200 and counted once its whole body (Content-Length)
 * has arrived; GET /count answers the count. Anything it cannot read (no Content-Length on a POST with a body, a chunked
 * body, a head over 16 KiB) is answered 400 and the connection closed, so it is never counted as received.
 *
 * Build: cc -O2 -o receiver bench/receiver.c     Run: ./receiver PORT   (listens on 127.0.0.1:PORT)
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

#define BUFFER (64 * 1024)
#define MAX_HEAD (16 * 1024)

struct connection {
    int fd;
    size_t used;
    char data[BUFFER];
};

static unsigned long long received;

static const char *find_head_end(const char *data, size_t used) {
    return memmem(data, used, "\r\n\r\n", 4);
}

/* The value of a header in the head [data, end), or -1 when absent; *chunked is set for Transfer-Encoding: chunked. */
static long content_length(const char *data, const char *end, int *chunked) {
    long length = -1;
    const char *line = memchr(data, '\n', (size_t)(end - data));
    *chunked = 0;
    while (line != NULL && line < end) {
        line++;
        const char *next = memchr(line, '\n', (size_t)(end + 2 - line));
        size_t size = (size_t)((next ? next : end) - line);
        if (size > 15 && strncasecmp(line, "content-length:", 15) == 0) {
            length = strtol(line + 15, NULL, 10);
        } else if (size > 18 && strncasecmp(line, "transfer-encoding:", 18) == 0) {
            *chunked = 1;
        }
        line = next;
    }
    return length;
}

static int send_all(int fd, const char *data, size_t size) {
    while (size > 0) {
        ssize_t sent = send(fd, data, size, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        data += sent;
        size -= (size_t)sent;
    }
    return 0;
}

/* Answers every complete request in the buffer; -1 closes the connection. */
static int serve(struct connection *c) {
    static const char ok[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
    static const char bad[] = "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    char out[BUFFER];
    size_t out_used = 0, start = 0;
    int close_after = 0;
    while (start < c->used) {
        const char *head = c->data + start;
        const char *end = find_head_end(head, c->used - start);
        if (end == NULL) {
            if (c->used - start > MAX_HEAD) close_after = 1;
            break;
        }
        int chunked;
        long length = content_length(head, end, &chunked);
        int post = strncmp(head, "POST ", 5) == 0;
        if (chunked || (post && length < 0) || length > BUFFER - MAX_HEAD - 4) {
            close_after = 1;
            break;
        }
        size_t total = (size_t)(end + 4 - head) + (size_t)(length > 0 ? length : 0);
        if (c->used - start < total) break;
        start += total;
        if (post) {
            received++;
            memcpy(out + out_used, ok, sizeof ok - 1);
            out_used += sizeof ok - 1;
        } else {
            char body[32];
            int body_size = snprintf(body, sizeof body, "%llu", received);
            out_used += (size_t)snprintf(out + out_used, sizeof out - out_used, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s", body_size, body);
        }
        if (out_used > sizeof out - 128) {
            if (send_all(c->fd, out, out_used) < 0) return -1;
            out_used = 0;
        }
    }
    if (close_after) {
        memcpy(out + out_used, bad, sizeof bad - 1);
        out_used += sizeof bad - 1;
    }
    if (out_used > 0 && send_all(c->fd, out, out_used) < 0) return -1;
    if (close_after) return -1;
    memmove(c->data, c->data + start, c->used - start);
    c->used -= start;
    return 0;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s PORT\n", argv[0]);
        return 2;
    }
    int listener = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[1])) };
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, (struct sockaddr *)&address, sizeof address) < 0 || listen(listener, 256) < 0) {
        perror("receiver: listen");
        return 1;
    }
    int poll = epoll_create1(0);
    struct epoll_event event = { .events = EPOLLIN, .data.ptr = NULL };
    epoll_ctl(poll, EPOLL_CTL_ADD, listener, &event);
    struct epoll_event ready[64];
    for (;;) {
        int n = epoll_wait(poll, ready, 64, -1);
        if (n < 0 && errno == EINTR) continue;
        for (int i = 0; i < n; i++) {
            struct connection *c = ready[i].data.ptr;
            if (c == NULL) {
                int fd;
                while ((fd = accept4(listener, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
                    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
                    struct connection *added = calloc(1, sizeof *added);
                    added->fd = fd;
                    struct epoll_event in = { .events = EPOLLIN, .data.ptr = added };
                    epoll_ctl(poll, EPOLL_CTL_ADD, fd, &in);
                }
                continue;
            }
            ssize_t got = recv(c->fd, c->data + c->used, BUFFER - c->used, 0);
            if (got < 0 && (errno == EAGAIN || errno == EINTR)) continue;
            if (got <= 0 || (c->used += (size_t)got, serve(c) < 0)) {
                close(c->fd);
                free(c);
            }
        }
    }
}
