// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The eBPF source's journey collector, user space's half (the programs:
 * bpf/journey.bpf.c): the steps' programs and the frees of this kernel (skbfree.h),
 * loaded for journeys only; a drop's track as the tracker's journey; and with times,
 * each step as it comes.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "bpf_int.h"
#include "dropwatch.skel.h"

static void journey_choose(const struct bpf_source *b, struct dw_bpf *skel,
			   const struct dwb_config *cfg)
{
	/* The journey's steps and the skb's ends: loaded for journeys only. */
	bpf_program__set_autoload(skel->progs.dw_netif_rx, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_netif_receive_skb, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_napi_gro_receive_entry, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_net_dev_queue, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_net_dev_start_xmit, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_skb_copy_datagram_iovec, cfg->journey);
	bpf_program__set_autoload(skel->progs.dw_consume_skb, cfg->journey);
	for (size_t i = 0; i < skbfree_count; i++) {
		bool on = false;

		for (int k = 0; cfg->journey && k < b->nfree; k++)
			on |= b->free_fn[k] == &skbfree_all[i];
		for (int copy = 1; copy <= 2; copy++) {
			struct bpf_program *prog;
			char name[64];

			snprintf(name, sizeof(name), "dw_free%d_%s", copy, skbfree_all[i].name);
			prog = bpf_object__find_program_by_name(skel->obj, name);
			if (prog)
				bpf_program__set_autoload(prog, on);
		}
	}
}

/*
 * Whether the kernel lets a program attach at the entry of the first free to hook (fentry:
 * a BPF trampoline, which needs ftrace): 0, or -errno.
 */
int bpf_frees_hookable(struct bpf_source *b)
{
	struct dw_bpf *skel = dw_bpf__open();
	struct bpf_program *p;
	char name[64];
	int err;

	if (!skel)
		return -errno;
	snprintf(name, sizeof(name), "dw_free1_%s", b->free_fn[0]->name);
	bpf_object__for_each_program(p, skel->obj)
		bpf_program__set_autoload(p, !strcmp(bpf_program__name(p), name));
	err = dw_bpf__load(skel);
	dw_bpf__destroy(skel);
	return err ? (errno ? -errno : err) : 0;
}

/* The journey the program kept for @r's skb, as the tracker's (journey.h), the drop last. */
const struct journey *bpf_journey_of(struct bpf_source *b, const struct dwb_record *r)
{
	struct journey *jn = &b->jn;
	uint32_t i, n = r->journey.n <= DWB_JSTEPS ? r->journey.n : 0;

	memset(jn, 0, sizeof(*jn));
	for (i = 0; i < n; i++) {
		const struct dwb_step *s = &r->journey.step[i];
		struct jstep *d = &jn->step[i];

		d->time = s->ts;
		d->kind = s->kind < JSTEP_KINDS && !jstep_ends(s->kind) ? s->kind : JSTEP_RX;
		d->cpu = s->cpu;
		memcpy(d->dev, s->ifname, sizeof(d->dev) - 1);	/* zero padded by the program */
		d->dev[sizeof(d->dev) - 1] = '\0';
	}
	jn->n = n;
	jn->omitted = n ? r->journey.omitted : 0;
	jn->tracked = n > 0;
	jn->step[jn->n].time = r->ts;
	jn->step[jn->n].cpu = (uint16_t)r->cpu;
	jn->step[jn->n].kind = JSTEP_DROP;
	jn->n++;
	return jn;
}

/*
 * Times: a step or an end of an skb, as the tracker's; when records were lost before it,
 * first a step of none, which forgets every skb followed.
 */
static int on_step_record(struct bpf_source *b, const void *data, size_t len)
{
	const struct dwb_step_rec *r = data;
	struct drop_event ev = { .kind = DROP_KIND_STEP, .origin = DROP_ORIGIN_SW };
	struct jstep st = { .time = r->ts, .cpu = r->cpu, .kind = r->kind, .irq_ns = r->irq_ns,
			    .softirq_ns = r->softirq_ns };

	(void)len;		/* rec_min: the whole record */
	ev.has = DROP_HAS_TIMESTAMP | DROP_NO_PAYLOAD;
	ev.timestamp_ns = r->ts + b->clock_off;
	if (r->lost != b->steps_lost) {
		b->steps_lost = r->lost;
		b->ret = b->fn(&ev, b->arg);
		if (b->ret)
			return -ECANCELED;
	}
	if (r->kind >= JSTEP_KINDS)
		return 0;
	memcpy(st.dev, r->ifname, sizeof(st.dev) - 1);	/* zero padded by the program */
	ev.skb = r->skb;
	ev.step = &st;
	b->ret = b->fn(&ev, b->arg);
	return b->ret ? -ECANCELED : 0;
}

const struct bpf_collector bpf_journey = {
	.name = "journey",
	.choose = journey_choose,
	.rec_type = DWB_REC_STEP,
	.rec_min = sizeof(struct dwb_step_rec),
	.record = on_step_record,
};
