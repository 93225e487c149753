#!/usr/bin/python3
"""Builds the four example cluster networks of Schüßler, Decker & Lerch (2013) ("Networks of Clusters: A Governance
Perspective", Schüßler, Decker & Lerch 2013; cases in shared/data/cluster_networks_cases.csv)
as node, edge and goal-rating tables. Deterministic (random.Random(4), for Schüßler, Decker & Lerch (2013)).

Run:  /usr/bin/python3 data/networks/make_networks.py data/networks
See README.md beside this file for what is taken from the paper and what is assumed."""
import csv
import math
import os
import random
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))


class Net:
    def __init__(self, name, seed):
        self.name = name
        self.rnd = random.Random(seed)
        self.nodes = []  # (id, type, group, cluster, region)
        self.edges = {}  # (a, b) sorted -> (weight, type, level)
        self.cluster_of = {}

    def node(self, nid, typ, cluster, region, group=None):
        self.nodes.append((nid, typ, group or cluster or "inter-cluster", cluster, region))
        self.cluster_of[nid] = cluster
        return nid

    def tie(self, a, b, typ, weight=None):
        if a == b:
            return
        key = tuple(sorted((a, b)))
        if key in self.edges:
            return
        ca, cb = self.cluster_of[a], self.cluster_of[b]
        level = "organisation" if ca and ca == cb else "inter-cluster"
        if typ == "cluster":
            level, typ = "cluster", "collaboration"
        self.edges[key] = (weight if weight is not None else self.rnd.randint(1, 5), typ, level)

    def members(self, cluster, prefix, count, region, oems=0, institutes=3, universities=1):
        """A cluster: its organisation, OEM/large firms, research institutes, universities, SMEs."""
        out = []
        for k in range(count):
            if k < oems:
                typ = "large_firm"
            elif k < oems + institutes:
                typ = "research_institute"
            elif k < oems + institutes + universities:
                typ = "university"
            else:
                typ = "sme"
            out.append(self.node(f"{prefix}_{typ}_{k + 1}", typ, cluster, region))
        return out

    def inside(self, org, members, share, mean_degree):
        """Cluster organisation tied to `share` of its members; members tied at random."""
        for m in members:
            if self.rnd.random() < share:
                self.tie(org, m, "cluster", self.rnd.randint(2, 5))
        n = len(members)
        p = mean_degree / max(1, n - 1)
        if p <= 0:
            return
        types = ["collaboration", "supply", "supply", "trust"]
        for i in range(n):
            # Geometric skipping keeps this O(ties) for the 4,000-organisation case.
            j = i
            while True:
                r = self.rnd.random()
                j += 1 + int(math.log(1 - r) / math.log(1 - p)) if p < 1 else 1
                if j >= n:
                    break
                self.tie(members[i], members[j], self.rnd.choice(types))

    def write(self, goals=None):
        with open(os.path.join(OUT, f"{self.name}_nodes.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["id", "type", "group", "cluster", "region"])
            w.writerows(self.nodes)
        with open(os.path.join(OUT, f"{self.name}_edges.csv"), "w", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["source", "target", "weight", "type", "level"])
            for (a, b), (wt, typ, lvl) in self.edges.items():
                w.writerow([a, b, wt, typ, lvl])
        if goals:
            with open(os.path.join(OUT, f"{self.name}_goals.csv"), "w", newline="") as f:
                w = csv.writer(f, lineterminator="\n")
                w.writerow(["participant", "goal", "rating"])
                for goal, ratings in goals.items():
                    for who, r in ratings.items():
                        w.writerow([who, goal, r])


def acod():
    """ACOD (2004): five state automotive initiatives, about 370 organisations; ACOD e.V.
    (association) owns ACOD GmbH, the inter-cluster administrative office that brokers between
    the state initiatives (Cluster Hub) and runs competence networks led by research institutes
    or companies from the clusters. Externally governed."""
    g = Net("acod", 4001)
    clusters = [  # (cluster, prefix, organisations incl. the initiative, region, OEMs)
        ("AutoMobilZulieferer Sachsen", "sax", 110, "Sachsen", 3),
        ("automotive Berlin-Brandenburg", "bb", 70, "Berlin-Brandenburg", 1),
        ("automotive Mecklenburg-Vorpommern", "mv", 40, "Mecklenburg-Vorpommern", 0),
        ("automotive Thueringen", "th", 80, "Thueringen", 1),
        ("MAHREG Automotive Sachsen-Anhalt", "st", 68, "Sachsen-Anhalt", 0),
    ]
    ev = g.node("acod_ev", "association", "", "East Germany", "inter-cluster")
    gmbh = g.node("acod_gmbh", "network_administrative_organisation", "", "East Germany", "inter-cluster")
    g.tie(ev, gmbh, "governance", 5)
    inits, all_members, oems = [], {}, []
    for name, prefix, size, region, n_oem in clusters:
        init = g.node(f"{prefix}_initiative", "cluster_organisation", name, region)
        mem = g.members(name, prefix, size - 1, region, oems=n_oem, institutes=4, universities=2)
        g.inside(init, mem, 0.6, 3.0)
        inits.append(init)
        all_members[name] = mem
        oems += [m for m in mem if "large_firm" in m]
        g.tie(gmbh, init, "governance", 5)  # Cluster Hub: monthly meeting with the initiatives
    for o in oems:
        g.tie(ev, o, "governance", 4)  # paying members and board
    # Competence networks: a lead organisation from one cluster, members from several.
    topics = ["aluminium", "energy-efficient production", "electromobility", "supplier qualification"]
    names = list(all_members)
    for t, topic in enumerate(topics):
        home = names[t % len(names)]
        lead = [m for m in all_members[home] if "research_institute" in m][t % 4]
        g.tie(gmbh, lead, "project", 4)
        for k in range(14):
            other = names[g.rnd.randrange(len(names))]
            g.tie(lead, g.rnd.choice(all_members[other]), "project")
    # Trust built over years among initiatives and members of different clusters.
    for a, b in [(0, 1), (0, 3), (0, 4), (1, 3), (3, 4), (1, 2)]:
        g.tie(g.rnd.choice(all_members[names[a]]), g.rnd.choice(all_members[names[b]]), "trust")
    goals = {  # participants: the initiatives and the office; 1–5 importance
        "supplier development": dict(zip(inits + [gmbh], [5, 5, 4, 5, 5, 5])),
        "national funding": dict(zip(inits + [gmbh], [5, 4, 5, 4, 5, 5])),
        "international visibility": dict(zip(inits + [gmbh], [4, 3, 4, 5, 3, 4])),
        "joint R&D projects": dict(zip(inits + [gmbh], [4, 3, 2, 4, 2, 4])),
    }
    g.write(goals)


def germany_goes_3d():
    """Germany goes 3D (2010): the popular-music clusters of Berlin, Cologne and Hamburg,
    represented by Berlin Music Commission, c/o pop and (Hamburg) Reeperbahn Festival + IHM;
    shared participant governance on personal trust; inter-organisational ties between the
    regions exist but are not brokered by 3D. Internally governed."""
    g = Net("germany_goes_3d", 4002)
    reps = {
        "Berlin music": ["berlin_music_commission"],
        "Cologne music": ["c_o_pop"],
        "Hamburg music": ["reeperbahn_festival", "ihm_hamburg"],
    }
    members = {}
    for cluster, orgs in reps.items():
        for o in orgs:
            g.node(o, "cluster_organisation", cluster, cluster.split()[0])
        prefix = cluster.split()[0].lower()
        mem = [g.node(f"{prefix}_{kind}_{k + 1}", kind, cluster, cluster.split()[0])
               for k, kind in enumerate(["label", "label", "venue", "venue", "festival", "publisher",
                                         "agency", "label", "studio", "venue"])]
        for o in orgs:
            g.inside(o, mem, 0.7, 0)
        g.inside(orgs[0], mem, 0.0, 2.5)
        members[cluster] = mem
    r = [v[0] for v in reps.values()]
    for a in range(3):
        for b in range(a + 1, 3):
            g.tie(r[a], r[b], "trust", 5)  # personal trust among the cluster managers
    g.tie("ihm_hamburg", "berlin_music_commission", "trust", 4)
    g.tie("ihm_hamburg", "c_o_pop", "collaboration", 3)
    g.tie("ihm_hamburg", "reeperbahn_festival", "cluster", 5)
    # Numerous inter-organisational relations between the regions, not brokered by 3D.
    cl = list(members)
    for k in range(8):
        a, b = g.rnd.sample(range(3), 2)
        g.tie(g.rnd.choice(members[cl[a]]), g.rnd.choice(members[cl[b]]), g.rnd.choice(["collaboration", "supply"]))
    goals = {
        "visibility abroad": dict(zip(r + ["ihm_hamburg"], [5, 5, 5, 5])),
        "political voice": dict(zip(r + ["ihm_hamburg"], [5, 5, 4, 5])),
        "resource sharing": dict(zip(r + ["ihm_hamburg"], [4, 4, 5, 4])),
        "joint funding applications": dict(zip(r + ["ihm_hamburg"], [2, 2, 2, 1])),
    }
    g.write(goals)


def tri_cluster():
    """Tri-Cluster Berlin–Tucson–Ottawa Alliance (2004): photonics clusters, handshake
    agreement, sporadic contacts; informal internal lead moved from Tucson to WISTA (Berlin
    Adlershof), which ties to both partners (breakfasts, visits, summer school, welcome
    package); the Tucson–Ottawa link is dormant. Internally governed."""
    g = Net("tri_cluster", 4003)
    spec = [("Berlin-Brandenburg photonics", "berlin", ["optecbb", "wista"]),
            ("Tucson photonics", "tucson", ["arizona_optics_association"]),
            ("Ottawa photonics", "ottawa", ["ottawa_photonics_cluster"])]
    members = {}
    for cluster, prefix, orgs in spec:
        for o in orgs:
            g.node(o, "cluster_organisation", cluster, prefix)
        mem = g.members(cluster, prefix, 10, prefix, oems=1, institutes=2, universities=1)
        for o in orgs:
            g.inside(o, mem, 0.6, 0)
        g.inside(orgs[0], mem, 0.0, 2.0)
        if len(orgs) > 1:
            g.tie(orgs[0], orgs[1], "cluster", 5)
        members[cluster] = mem
    g.tie("wista", "arizona_optics_association", "collaboration", 2)
    g.tie("wista", "ottawa_photonics_cluster", "collaboration", 2)
    for k in range(3):  # summer school, welcome package for firms from the partner clusters
        other = list(members)[1 + k % 2]
        g.tie("wista", members[other][3 + k], "collaboration", 1)
    g.tie(members["Tucson photonics"][4], members["Berlin-Brandenburg photonics"][5], "supply", 1)
    who = ["optecbb", "wista", "arizona_optics_association", "ottawa_photonics_cluster"]
    goals = {
        "attract subsidiaries": dict(zip(who, [5, 5, 1, 2])),
        "supplier contacts": dict(zip(who, [1, 2, 5, 3])),
        "visibility": dict(zip(who, [4, 4, 4, 4])),
        "joint projects": dict(zip(who, [3, 2, 1, 4])),
    }
    g.write(goals)


def scanbalt():
    """ScanBalt BioRegion (2001): 13 life-science clusters in 11 Baltic Sea countries, about
    4,000 organisations; a one-person central secretariat (Copenhagen) with four liaison offices,
    the regional cluster organisations as backbone, project-based decentralised leads (e.g. the
    Tartu biotechnology park). Externally governed."""
    g = Net("scanbalt", 4004)
    clusters = [("Medicon Valley", "dk", 520), ("Stockholm-Uppsala", "se", 520), ("BioCon Valley", "de_mv", 250),
                ("Life Science Nord", "de_sh", 350), ("Tartu biotechnology", "ee", 180), ("Latvia life sciences", "lv", 180),
                ("Lithuania biotech", "lt", 220), ("BioBaltic Gdansk", "pl", 300), ("Oslo Cancer Cluster", "no", 300),
                ("Helsinki Uusimaa", "fi", 380), ("Iceland health", "is", 90), ("St Petersburg biotech", "ru", 320),
                ("Turku BioValley", "fi_t", 380)]
    sec = g.node("scanbalt_secretariat", "network_administrative_organisation", "", "Copenhagen", "inter-cluster")
    offices = [g.node(f"liaison_{c}", "network_administrative_organisation", "", c, "inter-cluster")
               for c in ["copenhagen", "tartu", "gdansk", "groningen"]]
    for o in offices:
        g.tie(sec, o, "governance", 5)
    orgs, members = [], {}
    for k, (name, prefix, size) in enumerate(clusters):
        org = g.node(f"{prefix}_cluster_organisation", "cluster_organisation", name, prefix)
        mem = g.members(name, prefix, size - 1, prefix, oems=3, institutes=8, universities=3)
        g.inside(org, mem, 0.35, 2.2)
        g.tie(sec, org, "governance", 4)  # cluster organisations are the backbone members
        g.tie(offices[k % 4], org, "collaboration", 3)
        orgs.append(org)
        members[name] = mem
    names = list(members)
    # Project-based decentralised leads: thematic networks and EU projects.
    for p in range(10):
        home = names[(p * 5) % len(names)]
        lead = [m for m in members[home] if "research_institute" in m][p % 8]
        g.tie(sec, lead, "project", 3)
        for k in range(12):
            g.tie(lead, g.rnd.choice(members[names[g.rnd.randrange(len(names))]]), "project")
    # Trust among people who have worked together in projects for years: members of 40 cluster pairs.
    pairs = [(a, b) for a in range(13) for b in range(a + 1, 13)]
    g.rnd.shuffle(pairs)
    for a, b in pairs[:40]:
        g.tie(g.rnd.choice(members[names[a]]), g.rnd.choice(members[names[b]]), "trust", 3)
    participants = [sec] + orgs
    rnd = random.Random(40041)
    goals = {
        "EU project funding": {p: rnd.choice([4, 5, 5]) for p in participants},
        "critical mass and visibility": {p: rnd.choice([4, 5]) for p in participants},
        "expatriate platform (sharing member data)": {p: rnd.choice([1, 2, 3, 4, 5]) for p in participants},
        "SME services across clusters": {p: rnd.choice([3, 4, 4, 5]) for p in participants},
    }
    g.write(goals)


if __name__ == "__main__":
    acod()
    germany_goes_3d()
    tri_cluster()
    scanbalt()
