#!/usr/bin/env python3
"""Generate scenarios/fujian-2025.json, the Fujian reference compute network.

The scenario follows docs/scenario.md (format version 1). Its figures come from the
Fujian provincial plan for new-type infrastructure 2023-2025 where the plan gives them
(150,000 standard racks, 300 edge data centres, > 8 EFLOPS in total, > 300 PFLOPS of
HPC peak, PUE <= 1.3, the Changle and Anxi clusters, the named computing centres, the
"1 ms in a city, 5 ms between central cities" circle); every other number is a
documented assumption, see docs/fujian.md.

Usage:
    python3 scenarios/generate_fujian.py             # write the JSON, print the totals
    python3 scenarios/generate_fujian.py --markdown  # also print the site table for docs

The output is deterministic: running the script twice gives identical bytes. The only
pseudo-random draws (edge rack counts, occupancy, PUE) come from random.Random(2025).
Standard library only.
"""

import heapq
import math
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
OUTPUT_PATH = os.path.join(HERE, "fujian-2025.json")

STANDARD_RACK_W = 2500.0        # one standard rack (标准机架) = 2.5 kW of IT
TOTAL_RACKS = 150_000           # plan: 15万 standard racks by 2025
EDGE_SITES = 300                # plan: 300 edge data centres
EDGE_MAX_RACKS = 100            # docs/scenario.md: an edge_dc has at most 100 racks
EDGE_MIN_RACKS = 10
EDGE_MAX_OFFSET_KM = 4.8        # edge DCs within 5 km of their county seat
MIN_TOTAL_FLOPS = 8e18          # plan: total compute > 8 EFLOPS
MIN_HPC_FLOPS = 3e17            # plan: HPC peak > 300 PFLOPS
FIBER_LATENCY_S_PER_KM = 5e-6
HOP_DELAY_S = 1e-5
ROUTE_FACTOR = 1.4

FUZHOU_EPW = "../../shared/data/weather/CHN_Fujian.Fuzhou.588470_CSWD.epw"
XIAMEN_EPW = "../../shared/data/weather/CHN_Fujian.Xiamen.591340_CSWD.epw"

# --------------------------------------------------------------------------- cities
# name, name_zh, lat, lon, role, weather file. Coordinates: the city's urban centre
# (municipal seat), 2 decimals.
CITIES = [
    ("fuzhou", "福州", 26.07, 119.30, "central", FUZHOU_EPW),
    ("xiamen", "厦门", 24.48, 118.09, "central", XIAMEN_EPW),
    ("quanzhou", "泉州", 24.91, 118.59, "central", XIAMEN_EPW),
    ("zhangzhou", "漳州", 24.51, 117.65, "regional", XIAMEN_EPW),
    ("putian", "莆田", 25.45, 119.01, "regional", FUZHOU_EPW),
    ("sanming", "三明", 26.26, 117.64, "regional", FUZHOU_EPW),
    ("nanping", "南平", 26.64, 118.18, "regional", FUZHOU_EPW),
    ("longyan", "龙岩", 25.08, 117.02, "regional", XIAMEN_EPW),
    ("ningde", "宁德", 26.66, 119.55, "regional", FUZHOU_EPW),
    ("pingtan", "平潭", 25.50, 119.79, "regional", FUZHOU_EPW),
]

# ----------------------------------------------------------------------- node types
# Peak figures: FP64 for CPU cores and HPC accelerators, FP16 (dense tensor) for AI GPUs.
NODE_TYPES = [
    {
        "name": "cpu-general",
        "description": (
            "General-purpose 2-socket CPU server, 2 x 32 cores; per-core peak FP64 "
            "4e10 flops (2.5 GHz x 16 FP64 flops/cycle, AVX2 with 2 FMA units); "
            "second pstate 2.0 GHz. 400 W at full load, idle 30 % (120 W)."
        ),
        "cores": 64,
        "pstates": [
            {"core_speed_flops": 4e10, "idle_w": 120.0, "max_w": 400.0},
            {"core_speed_flops": 3.2e10, "idle_w": 110.0, "max_w": 320.0},
        ],
        "off_w": 5.0,
        "gpus": 0,
        "gpu_speed_flops": 0.0,
        "memory_gib": 512,
        "nic_bps": 2.5e10,
        "servers_per_rack": 12,
    },
    {
        "name": "gpu-ai-8x",
        "description": (
            "8-GPU AI training/inference server (A800/H800 class): 8 x 3.1e14 flops "
            "FP16 dense tensor peak per GPU; host 2 x 48 CPU cores at 4e10 flops FP64 "
            "each. 10,200 W at full load, idle 20 % (2,040 W). GPU peaks are FP16, "
            "not comparable with FP64 figures."
        ),
        "cores": 96,
        "pstates": [
            {"core_speed_flops": 4e10, "idle_w": 2040.0, "max_w": 10200.0},
        ],
        "off_w": 15.0,
        "gpus": 8,
        "gpu_speed_flops": 3.1e14,
        "memory_gib": 2048,
        "nic_bps": 1.6e12,
        "servers_per_rack": 4,
    },
    {
        "name": "hpc-accelerated",
        "description": (
            "HPC node: 2 x 32 CPU cores at 4e10 flops FP64 each plus 4 accelerators "
            "at 5e13 flops FP64 (matrix) peak each. 3,000 W at full load, idle 25 % "
            "(750 W). All figures FP64."
        ),
        "cores": 64,
        "pstates": [
            {"core_speed_flops": 4e10, "idle_w": 750.0, "max_w": 3000.0},
        ],
        "off_w": 8.0,
        "gpus": 4,
        "gpu_speed_flops": 5e13,
        "memory_gib": 512,
        "nic_bps": 2e11,
        "servers_per_rack": 8,
    },
    {
        "name": "edge-server",
        "description": (
            "Edge server, 1 socket x 32 cores; per-core peak FP64 3.2e10 flops "
            "(2.0 GHz x 16 FP64 flops/cycle); second pstate 1.5 GHz. 350 W at full "
            "load, idle 30 % (105 W)."
        ),
        "cores": 32,
        "pstates": [
            {"core_speed_flops": 3.2e10, "idle_w": 105.0, "max_w": 350.0},
            {"core_speed_flops": 2.4e10, "idle_w": 100.0, "max_w": 280.0},
        ],
        "off_w": 4.0,
        "gpus": 0,
        "gpu_speed_flops": 0.0,
        "memory_gib": 256,
        "nic_bps": 2.5e10,
        "servers_per_rack": 8,
    },
]
NODE_TYPE_BY_NAME = {t["name"]: t for t in NODE_TYPES}

# ------------------------------------------------------------------ non-edge sites
# Each entry: name, name_zh, kind, city, lat, lon, racks, hub, installed occupancy
# target, installed IT power mix {node type: share}, cooling (liquid share, technology,
# design PUE, chiller COP), uplink_bps.
# The installed server counts are derived: floor(racks x occupancy x 2500 W x share /
# max_w(pstate 0)).
CORE_SITES = [
    # --- the two national-hub-style clusters named by the plan
    dict(name="changle-cluster", name_zh="数字福建（长乐）产业园数据中心集群",
         kind="core_cluster", city="fuzhou", lat=25.90, lon=119.58,
         racks=42_000, hub=True, occupancy=0.72,
         mix={"cpu-general": 0.88, "gpu-ai-8x": 0.12},
         liquid=0.35, tech="cold_plate", pue=1.25, cop=6.0, uplink=1.6e13),
    dict(name="anxi-cluster", name_zh="数字福建（安溪）产业园数据中心集群",
         kind="core_cluster", city="quanzhou", lat=25.05, lon=118.21,
         racks=34_000, hub=True, occupancy=0.68,
         mix={"cpu-general": 0.90, "gpu-ai-8x": 0.10},
         liquid=0.30, tech="cold_plate", pue=1.25, cop=6.0, uplink=1.6e13),
    # --- the computing centres named by the plan
    dict(name="fuzhou-ai-center", name_zh="福州人工智能计算中心",
         kind="gpu_center", city="fuzhou", lat=25.93, lon=119.61,
         racks=3_000, hub=False, occupancy=0.78,
         mix={"gpu-ai-8x": 0.85, "cpu-general": 0.15},
         liquid=0.80, tech="cold_plate", pue=1.22, cop=5.5, uplink=8e12),
    dict(name="fujian-supercomputing-center", name_zh="福建省超级计算中心",
         kind="supercomputing_center", city="fuzhou", lat=26.06, lon=119.20,
         racks=2_500, hub=False, occupancy=0.76,
         mix={"hpc-accelerated": 0.85, "cpu-general": 0.15},
         liquid=0.90, tech="immersion", pue=1.15, cop=5.0, uplink=4e12),
    dict(name="xiamen-digital-center", name_zh="厦门数字产业算力中心",
         kind="gpu_center", city="xiamen", lat=24.68, lon=118.17,
         racks=14_000, hub=False, occupancy=0.66,
         mix={"cpu-general": 0.70, "gpu-ai-8x": 0.30},
         liquid=0.50, tech="cold_plate", pue=1.25, cop=6.0, uplink=8e12),
    dict(name="xiamen-kunpeng-supercomputing-center", name_zh="厦门鲲鹏超算中心",
         kind="supercomputing_center", city="xiamen", lat=24.62, lon=118.07,
         racks=1_200, hub=False, occupancy=0.70,
         mix={"cpu-general": 0.70, "hpc-accelerated": 0.30},
         liquid=0.60, tech="cold_plate", pue=1.25, cop=5.0, uplink=4e12),
    dict(name="quanzhou-advanced-computing-center", name_zh="泉州先进计算中心",
         kind="gpu_center", city="quanzhou", lat=24.90, lon=118.64,
         racks=4_000, hub=False, occupancy=0.65,
         mix={"gpu-ai-8x": 0.75, "cpu-general": 0.25},
         liquid=0.70, tech="immersion", pue=1.20, cop=5.5, uplink=8e12),
    dict(name="pingtan-ai-center", name_zh="平潭两岸融合智算中心",
         kind="gpu_center", city="pingtan", lat=25.52, lon=119.77,
         racks=2_500, hub=False, occupancy=0.60,
         mix={"gpu-ai-8x": 0.70, "cpu-general": 0.30},
         liquid=0.75, tech="cold_plate", pue=1.22, cop=5.5, uplink=4e12),
    # --- further general-purpose data centres so the racks add up
    dict(name="fuzhou-mawei-dc", name_zh="福州马尾数据中心",
         kind="core_cluster", city="fuzhou", lat=26.00, lon=119.45,
         racks=3_000, hub=False, occupancy=0.74,
         mix={"cpu-general": 1.0},
         liquid=0.20, tech="cold_plate", pue=1.30, cop=5.5, uplink=4e12),
    dict(name="xiamen-xiangan-dc", name_zh="厦门翔安数据中心",
         kind="core_cluster", city="xiamen", lat=24.60, lon=118.28,
         racks=5_000, hub=False, occupancy=0.70,
         mix={"cpu-general": 0.92, "gpu-ai-8x": 0.08},
         liquid=0.25, tech="cold_plate", pue=1.28, cop=5.5, uplink=4e12),
    dict(name="jinjiang-dc", name_zh="晋江数据中心",
         kind="core_cluster", city="quanzhou", lat=24.79, lon=118.57,
         racks=3_000, hub=False, occupancy=0.66,
         mix={"cpu-general": 1.0},
         liquid=0.20, tech="cold_plate", pue=1.30, cop=5.5, uplink=4e12),
    dict(name="zhangzhou-dc", name_zh="漳州数据中心",
         kind="core_cluster", city="zhangzhou", lat=24.53, lon=117.70,
         racks=4_000, hub=False, occupancy=0.64,
         mix={"cpu-general": 1.0},
         liquid=0.25, tech="cold_plate", pue=1.30, cop=5.5, uplink=4e12),
    dict(name="putian-licheng-dc", name_zh="莆田荔城数据中心",
         kind="core_cluster", city="putian", lat=25.44, lon=119.04,
         racks=5_000, hub=False, occupancy=0.62,
         mix={"cpu-general": 1.0},
         liquid=0.20, tech="cold_plate", pue=1.30, cop=5.5, uplink=4e12),
    dict(name="ningde-dc", name_zh="宁德数据中心",
         kind="core_cluster", city="ningde", lat=26.68, lon=119.57,
         racks=3_500, hub=False, occupancy=0.70,
         mix={"cpu-general": 0.95, "gpu-ai-8x": 0.05},
         liquid=0.30, tech="cold_plate", pue=1.28, cop=5.5, uplink=4e12),
    dict(name="sanming-dc", name_zh="三明数据中心",
         kind="core_cluster", city="sanming", lat=26.24, lon=117.62,
         racks=2_500, hub=False, occupancy=0.61,
         mix={"cpu-general": 1.0},
         liquid=0.20, tech="cold_plate", pue=1.30, cop=5.0, uplink=2e12),
    dict(name="nanping-dc", name_zh="南平数据中心",
         kind="core_cluster", city="nanping", lat=26.66, lon=118.16,
         racks=2_500, hub=False, occupancy=0.60,
         mix={"cpu-general": 1.0},
         liquid=0.20, tech="cold_plate", pue=1.30, cop=5.0, uplink=2e12),
    dict(name="longyan-dc", name_zh="龙岩数据中心",
         kind="core_cluster", city="longyan", lat=25.10, lon=117.05,
         racks=2_500, hub=False, occupancy=0.63,
         mix={"cpu-general": 1.0},
         liquid=0.20, tech="cold_plate", pue=1.30, cop=5.0, uplink=2e12),
]

# ------------------------------------------------------------ county-level places
# slug, name_zh, city, lat, lon, population (millions, 2020 census, rounded), urban core.
# Coordinates: the county seat / district government, approximate (2 decimals).
PLACES = [
    # Fuzhou 福州
    ("gulou", "鼓楼区", "fuzhou", 26.08, 119.30, 0.68, True),
    ("taijiang", "台江区", "fuzhou", 26.05, 119.31, 0.45, True),
    ("cangshan", "仓山区", "fuzhou", 26.05, 119.27, 1.05, True),
    ("jinan", "晋安区", "fuzhou", 26.08, 119.33, 0.96, True),
    ("mawei", "马尾区", "fuzhou", 25.99, 119.46, 0.25, False),
    ("changle", "长乐区", "fuzhou", 25.96, 119.52, 0.78, False),
    ("minhou", "闽侯县", "fuzhou", 26.15, 119.13, 0.97, False),
    ("lianjiang", "连江县", "fuzhou", 26.20, 119.54, 0.57, False),
    ("luoyuan", "罗源县", "fuzhou", 26.49, 119.55, 0.22, False),
    ("minqing", "闽清县", "fuzhou", 26.22, 118.86, 0.23, False),
    ("yongtai", "永泰县", "fuzhou", 25.87, 118.94, 0.26, False),
    ("fuqing", "福清市", "fuzhou", 25.72, 119.38, 1.39, False),
    # Xiamen 厦门
    ("siming", "思明区", "xiamen", 24.45, 118.08, 1.07, True),
    ("huli", "湖里区", "xiamen", 24.51, 118.15, 1.04, True),
    ("jimei", "集美区", "xiamen", 24.58, 118.10, 1.04, True),
    ("haicang", "海沧区", "xiamen", 24.48, 118.03, 0.58, True),
    ("tongan", "同安区", "xiamen", 24.72, 118.15, 0.86, False),
    ("xiangan", "翔安区", "xiamen", 24.62, 118.25, 0.68, False),
    # Quanzhou 泉州
    ("licheng-qz", "鲤城区", "quanzhou", 24.91, 118.59, 0.39, True),
    ("fengze", "丰泽区", "quanzhou", 24.89, 118.61, 0.59, True),
    ("luojiang", "洛江区", "quanzhou", 24.94, 118.67, 0.23, False),
    ("quangang", "泉港区", "quanzhou", 25.12, 118.92, 0.39, False),
    ("shishi", "石狮市", "quanzhou", 24.73, 118.65, 0.68, True),
    ("jinjiang", "晋江市", "quanzhou", 24.78, 118.55, 2.06, True),
    ("nanan", "南安市", "quanzhou", 24.96, 118.39, 1.52, False),
    ("huian", "惠安县", "quanzhou", 25.03, 118.80, 0.84, False),
    ("anxi", "安溪县", "quanzhou", 25.06, 118.19, 0.98, False),
    ("yongchun", "永春县", "quanzhou", 25.32, 118.29, 0.46, False),
    ("dehua", "德化县", "quanzhou", 25.49, 118.24, 0.28, False),
    # Zhangzhou 漳州
    ("xiangcheng", "芗城区", "zhangzhou", 24.51, 117.65, 0.61, True),
    ("longwen", "龙文区", "zhangzhou", 24.50, 117.71, 0.35, True),
    ("longhai", "龙海区", "zhangzhou", 24.45, 117.82, 0.89, False),
    ("changtai", "长泰区", "zhangzhou", 24.63, 117.76, 0.21, False),
    ("zhangpu", "漳浦县", "zhangzhou", 24.12, 117.61, 0.83, False),
    ("yunxiao", "云霄县", "zhangzhou", 23.96, 117.34, 0.43, False),
    ("zhaoan", "诏安县", "zhangzhou", 23.71, 117.18, 0.60, False),
    ("dongshan", "东山县", "zhangzhou", 23.70, 117.43, 0.21, False),
    ("pinghe", "平和县", "zhangzhou", 24.36, 117.31, 0.50, False),
    ("nanjing", "南靖县", "zhangzhou", 24.51, 117.36, 0.33, False),
    ("huaan", "华安县", "zhangzhou", 25.00, 117.53, 0.15, False),
    # Putian 莆田
    ("chengxiang", "城厢区", "putian", 25.42, 118.99, 0.51, True),
    ("hanjiang", "涵江区", "putian", 25.46, 119.12, 0.45, False),
    ("licheng-pt", "荔城区", "putian", 25.43, 119.02, 0.53, True),
    ("xiuyu", "秀屿区", "putian", 25.32, 119.10, 0.50, False),
    ("xianyou", "仙游县", "putian", 25.36, 118.69, 0.88, False),
    # Sanming 三明
    ("sanyuan", "三元区", "sanming", 26.23, 117.61, 0.37, True),
    ("shaxian", "沙县区", "sanming", 26.40, 117.79, 0.23, False),
    ("yongan", "永安市", "sanming", 25.94, 117.36, 0.35, False),
    ("mingxi", "明溪县", "sanming", 26.36, 117.20, 0.10, False),
    ("qingliu", "清流县", "sanming", 26.18, 116.82, 0.13, False),
    ("ninghua", "宁化县", "sanming", 26.26, 116.65, 0.28, False),
    ("datian", "大田县", "sanming", 25.69, 117.85, 0.30, False),
    ("youxi", "尤溪县", "sanming", 26.17, 118.19, 0.35, False),
    ("jiangle", "将乐县", "sanming", 26.73, 117.47, 0.15, False),
    ("taining", "泰宁县", "sanming", 26.90, 117.18, 0.11, False),
    ("jianning", "建宁县", "sanming", 26.83, 116.85, 0.12, False),
    # Nanping 南平
    ("yanping", "延平区", "nanping", 26.64, 118.18, 0.43, True),
    ("jianyang", "建阳区", "nanping", 27.33, 118.12, 0.30, False),
    ("shaowu", "邵武市", "nanping", 27.34, 117.49, 0.27, False),
    ("wuyishan", "武夷山市", "nanping", 27.76, 118.04, 0.25, False),
    ("jianou", "建瓯市", "nanping", 27.02, 118.30, 0.45, False),
    ("shunchang", "顺昌县", "nanping", 26.79, 117.81, 0.17, False),
    ("pucheng", "浦城县", "nanping", 27.92, 118.54, 0.30, False),
    ("guangze", "光泽县", "nanping", 27.54, 117.33, 0.13, False),
    ("songxi", "松溪县", "nanping", 27.53, 118.78, 0.12, False),
    ("zhenghe", "政和县", "nanping", 27.37, 118.86, 0.17, False),
    # Longyan 龙岩
    ("xinluo", "新罗区", "longyan", 25.10, 117.04, 0.83, True),
    ("yongding", "永定区", "longyan", 24.72, 116.73, 0.38, False),
    ("zhangping", "漳平市", "longyan", 25.29, 117.42, 0.24, False),
    ("changting", "长汀县", "longyan", 25.83, 116.36, 0.40, False),
    ("shanghang", "上杭县", "longyan", 25.05, 116.42, 0.38, False),
    ("wuping", "武平县", "longyan", 25.10, 116.10, 0.30, False),
    ("liancheng", "连城县", "longyan", 25.71, 116.75, 0.26, False),
    # Ningde 宁德
    ("jiaocheng", "蕉城区", "ningde", 26.66, 119.53, 0.55, True),
    ("fuan", "福安市", "ningde", 27.09, 119.65, 0.60, False),
    ("fuding", "福鼎市", "ningde", 27.32, 120.22, 0.56, False),
    ("xiapu", "霞浦县", "ningde", 26.89, 120.01, 0.47, False),
    ("gutian", "古田县", "ningde", 26.58, 118.75, 0.33, False),
    ("pingnan", "屏南县", "ningde", 26.91, 118.99, 0.14, False),
    ("shouning", "寿宁县", "ningde", 27.46, 119.51, 0.17, False),
    ("zhouning", "周宁县", "ningde", 27.10, 119.34, 0.11, False),
    ("zherong", "柘荣县", "ningde", 27.23, 119.90, 0.09, False),
    # Pingtan 平潭 (comprehensive experimental zone)
    ("pingtan", "平潭县", "pingtan", 25.50, 119.79, 0.39, False),
]

EDGE_MIN_PER_PLACE = 3
EDGE_MAX_PER_PLACE = 8
URBAN_WEIGHT_FACTOR = 1.5       # dense urban districts get proportionally more edge DCs

# ------------------------------------------------------------------------ links
# Inter-city fiber between city hubs (and a few direct links from major sites).
# from, to, route factor (fiber km / straight-line km), bandwidth_bps.
LINKS = [
    # coastal corridor
    ("ningde", "fuzhou", 1.35, 8e12),
    ("fuzhou", "pingtan", 1.35, 8e12),
    ("fuzhou", "putian", 1.35, 1.6e13),
    ("putian", "quanzhou", 1.35, 1.6e13),
    ("quanzhou", "xiamen", 1.35, 1.6e13),
    ("xiamen", "zhangzhou", 1.35, 8e12),
    # express backbone between the two largest central cities (along the coastal railway)
    ("fuzhou", "xiamen", 1.30, 1.6e13),
    # inland (mountain routes, longer detours)
    ("fuzhou", "nanping", 1.45, 8e12),
    ("fuzhou", "sanming", 1.50, 8e12),
    ("nanping", "sanming", 1.45, 4e12),
    ("ningde", "nanping", 1.50, 4e12),
    ("sanming", "longyan", 1.50, 4e12),
    ("quanzhou", "sanming", 1.50, 4e12),
    ("longyan", "xiamen", 1.45, 8e12),
    ("longyan", "zhangzhou", 1.45, 4e12),
    # direct links from major sites to a second city
    ("anxi-cluster", "xiamen", 1.40, 8e12),
    ("changle-cluster", "pingtan", 1.40, 8e12),
    ("changle-cluster", "putian", 1.40, 8e12),
]

SEED = 2025


# ===================================================================== helpers

def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km on a sphere of radius 6371 km."""
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def offset_deg(lat, lon, east_km, north_km):
    """Move (lat, lon) by a small east/north offset in km."""
    dlat = north_km / 110.574
    dlon = east_km / (111.320 * math.cos(math.radians(lat)))
    return lat + dlat, lon + dlon


def node_flops(node_type):
    """Peak flops of one server: cores x pstate-0 core speed + gpus x gpu speed."""
    return (node_type["cores"] * node_type["pstates"][0]["core_speed_flops"]
            + node_type["gpus"] * node_type["gpu_speed_flops"])


def site_flops(site):
    return sum(n["count"] * node_flops(NODE_TYPE_BY_NAME[n["type"]]) for n in site["nodes"])


def site_installed_racks(site):
    """Standard racks occupied by installed servers: count x max_w(pstate 0) / 2500 W."""
    return sum(n["count"] * NODE_TYPE_BY_NAME[n["type"]]["pstates"][0]["max_w"]
               for n in site["nodes"]) / STANDARD_RACK_W


def site_physical_racks(site):
    """Physical racks (= SimGrid hosts at rack granularity), per node type rounded up."""
    return sum(math.ceil(n["count"] / NODE_TYPE_BY_NAME[n["type"]]["servers_per_rack"])
               for n in site["nodes"] if n["count"] > 0)


def format_number(x):
    """JSON number text: ints as ints; large/small floats in short scientific form."""
    if isinstance(x, bool):
        raise TypeError("bool is not a number here")
    if isinstance(x, int):
        return str(x)
    if not math.isfinite(x):
        raise ValueError("non-finite number")
    if x != 0 and (abs(x) >= 1e6 or abs(x) < 1e-3):
        for digits in range(0, 17):
            text = f"{x:.{digits}e}"
            if float(text) == x:
                break
        mantissa, exponent = text.split("e")
        if "." in mantissa:
            mantissa = mantissa.rstrip("0").rstrip(".")
        return f"{mantissa}e{int(exponent)}"
    return repr(float(x))


def to_json(value, indent=0):
    """Pretty-print like json.dumps(indent=2, ensure_ascii=False), with tidy numbers."""
    import json
    pad = "  " * indent
    inner = "  " * (indent + 1)
    if isinstance(value, dict):
        if not value:
            return "{}"
        items = [f"{inner}{json.dumps(k, ensure_ascii=False)}: {to_json(v, indent + 1)}"
                 for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(value, list):
        if not value:
            return "[]"
        items = [f"{inner}{to_json(v, indent + 1)}" for v in value]
        return "[\n" + ",\n".join(items) + "\n" + pad + "]"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    return format_number(value)


def cooling_object(liquid, tech, pue, cop, free_cooling_wb=14.0, liquid_cop=None):
    liquid = round(liquid, 4)
    air = round(1.0 - liquid, 4)
    assert liquid + air == 1.0, (liquid, air)
    cooling = {"air_share": air, "liquid_share": liquid}
    if liquid > 0:
        cooling["liquid_technology"] = tech
    cooling["design_pue"] = pue
    cooling["free_cooling_wet_bulb_max_c"] = free_cooling_wb
    cooling["chiller_cop"] = cop
    if liquid > 0:
        cooling["liquid_cop"] = liquid_cop if liquid_cop is not None else (
            25.0 if tech == "immersion" else 20.0)
    return cooling


# ===================================================================== builders

def build_cities():
    return [{"name": n, "name_zh": zh, "lat_deg": lat, "lon_deg": lon, "role": role,
             "weather_file": epw} for n, zh, lat, lon, role, epw in CITIES]


def build_core_sites():
    sites = []
    for s in CORE_SITES:
        assert abs(sum(s["mix"].values()) - 1.0) < 1e-9, s["name"]
        budget_w = s["racks"] * s["occupancy"] * STANDARD_RACK_W
        nodes = []
        for type_name, share in s["mix"].items():
            max_w = NODE_TYPE_BY_NAME[type_name]["pstates"][0]["max_w"]
            nodes.append({"type": type_name, "count": int(math.floor(budget_w * share / max_w))})
        sites.append({
            "name": s["name"], "name_zh": s["name_zh"], "kind": s["kind"], "city": s["city"],
            "lat_deg": s["lat"], "lon_deg": s["lon"], "racks": s["racks"], "hub": s["hub"],
            "nodes": nodes,
            "cooling": cooling_object(s["liquid"], s["tech"], s["pue"], s["cop"]),
            "uplink_bps": s["uplink"],
        })
    return sites


def allocate_edge_counts():
    """Edge DCs per place: 3 each, the rest by highest averages on (urban-weighted)
    population, at most EDGE_MAX_PER_PLACE. Ties go to the earlier place."""
    counts = [EDGE_MIN_PER_PLACE] * len(PLACES)
    weights = [p[5] * (URBAN_WEIGHT_FACTOR if p[6] else 1.0) for p in PLACES]
    heap = [(-weights[i] / (counts[i] + 1), i) for i in range(len(PLACES))]
    heapq.heapify(heap)
    remaining = EDGE_SITES - sum(counts)
    assert remaining >= 0
    while remaining > 0:
        _, i = heapq.heappop(heap)
        if counts[i] >= EDGE_MAX_PER_PLACE:
            continue
        counts[i] += 1
        remaining -= 1
        heapq.heappush(heap, (-weights[i] / (counts[i] + 1), i))
    return counts


def build_edge_sites(edge_racks_total, rng):
    counts = allocate_edge_counts()
    drafts = []
    golden_angle = math.pi * (3.0 - math.sqrt(5.0))
    for (slug, zh, city, lat, lon, _pop, urban), n in zip(PLACES, counts):
        for k in range(n):
            # Vogel spiral inside a disc of EDGE_MAX_OFFSET_KM around the county seat
            radius_km = EDGE_MAX_OFFSET_KM * math.sqrt((k + 0.5) / n)
            angle = k * golden_angle + (hash_slug(slug) % 360) * math.pi / 180.0
            slat, slon = offset_deg(lat, lon, radius_km * math.cos(angle),
                                    radius_km * math.sin(angle))
            racks = rng.randint(25, 75) + (rng.randint(10, 25) if urban else 0)
            drafts.append({"slug": slug, "zh": zh, "city": city, "k": k + 1,
                           "lat": round(slat, 4), "lon": round(slon, 4),
                           "seat": (lat, lon), "racks": racks, "urban": urban})
    # scale the drafted rack counts to hit the edge total exactly, within [10, 100]
    scale = edge_racks_total / sum(d["racks"] for d in drafts)
    for d in drafts:
        d["racks"] = min(EDGE_MAX_RACKS, max(EDGE_MIN_RACKS, int(round(d["racks"] * scale))))
    diff = edge_racks_total - sum(d["racks"] for d in drafts)
    step = 0
    while diff != 0:
        d = drafts[(step * 37) % len(drafts)]
        if diff > 0 and d["racks"] < EDGE_MAX_RACKS:
            d["racks"] += 1
            diff -= 1
        elif diff < 0 and d["racks"] > EDGE_MIN_RACKS:
            d["racks"] -= 1
            diff += 1
        step += 1
    edge_type = NODE_TYPE_BY_NAME["edge-server"]
    sites = []
    for d in drafts:
        occupancy = rng.uniform(0.50, 0.80)
        count = int(math.floor(d["racks"] * occupancy * STANDARD_RACK_W
                               / edge_type["pstates"][0]["max_w"]))
        pue = 1.40 if d["urban"] else rng.choice([1.40, 1.45, 1.50])
        sites.append({
            "name": f"edge-{d['slug']}-{d['k']}",
            "name_zh": f"{d['zh']}边缘数据中心{d['k']}",
            "kind": "edge_dc", "city": d["city"],
            "lat_deg": d["lat"], "lon_deg": d["lon"], "racks": d["racks"],
            "nodes": [{"type": "edge-server", "count": count}],
            "cooling": cooling_object(0.0, None, pue, 3.5, free_cooling_wb=12.0),
            "uplink_bps": 1e11,
            "_seat": d["seat"],
        })
    return sites


def hash_slug(slug):
    """A stable small integer from a string (Python's hash() is salted per process)."""
    h = 0
    for ch in slug.encode("utf-8"):
        h = (h * 131 + ch) % 1_000_003
    return h


def build_links(positions):
    links = []
    for a, b, factor, bw in LINKS:
        (la, oa), (lb, ob) = positions[a], positions[b]
        km = haversine_km(la, oa, lb, ob) * factor
        links.append({"from": a, "to": b, "fiber_km": float(round(km)), "bandwidth_bps": bw})
    return links


def build_demand_points():
    points = []
    city_and_site_names = {c[0] for c in CITIES} | {s["name"] for s in CORE_SITES}
    for slug, _zh, city, lat, lon, pop, _urban in PLACES:
        name = slug if slug not in city_and_site_names else f"{slug}-county"
        points.append({"name": name, "city": city, "lat_deg": lat, "lon_deg": lon,
                       "weight": pop})
    return points


# Growth over 2025-2029 (illustrative assumptions, not figures of the plan; docs/capacity.md): AI
# demand grows fastest, general cloud and HPC slower. Two expansions come online: the Fuzhou AI
# centre's second phase (mid-2026) and an Anxi cluster extension (2027).
GROWTH = {
    "start": "2025-01",
    "horizon_months": 60,
    "max_utilization": 0.85,
    "demand": [
        {"class": "ai-training", "per_year": 0.8},
        {"class": "llm-chat", "per_year": 0.6},
        {"class": "llm-code", "per_year": 0.6},
        {"class": "edge-requests", "per_year": 0.25},
        {"class": "hpc", "per_year": 0.1},
        {"class": "*", "per_year": 0.15},
    ],
    "additions": [
        {"month": 18, "site": "fuzhou-ai-center", "racks": 1000,
         "nodes": [{"type": "gpu-ai-8x", "count": 240}]},
        {"month": 24, "site": "anxi-cluster", "racks": 5000,
         "nodes": [{"type": "cpu-general", "count": 15000}]},
    ],
}

# Settings of the total cost of ownership: illustrative round figures (CNY), to be replaced by a
# planner's own. The carbon price is of the order of China's national ETS in 2024 (about 90-100 CNY/t).
COSTS = {
    "capex_per_rack": 100000,
    "capex_per_cooling_kw": 3000,
    "depreciation_years": 10,
    "carbon_price_per_t": 90,
}


def build_scenario():
    rng = random.Random(SEED)
    cities = build_cities()
    core_sites = build_core_sites()
    core_racks = sum(s["racks"] for s in core_sites)
    edge_racks_total = TOTAL_RACKS - core_racks
    assert EDGE_SITES * EDGE_MIN_RACKS <= edge_racks_total <= EDGE_SITES * EDGE_MAX_RACKS
    edge_sites = build_edge_sites(edge_racks_total, rng)
    seats = {s["name"]: s.pop("_seat") for s in edge_sites}
    sites = core_sites + edge_sites
    positions = {c["name"]: (c["lat_deg"], c["lon_deg"]) for c in cities}
    positions.update({s["name"]: (s["lat_deg"], s["lon_deg"]) for s in sites})
    scenario = {
        "$schema": "../docs/scenario.schema.json",
        "format_version": 1,
        "name": "fujian-2025",
        "description": (
            "Fujian provincial compute network as planned for 2025 by the Fujian "
            "three-year action plan for new-type infrastructure (2023-2025): 150,000 "
            "standard racks, 300 edge data centres, > 8 EFLOPS total (mixed precision: "
            "FP16 AI + FP64 CPU/HPC), > 300 PFLOPS HPC peak (FP64), PUE <= 1.3 for new "
            "large data centres, the 1 ms city / 5 ms central-city latency circle. "
            "Generated by scenarios/generate_fujian.py; assumptions in docs/fujian.md."
        ),
        "seed": SEED,
        "horizon_s": 86400,
        "network": {
            "fiber_latency_s_per_km": FIBER_LATENCY_S_PER_KM,
            "route_factor": ROUTE_FACTOR,
            "hop_delay_s": HOP_DELAY_S,
            "intercity_bandwidth_bps": 4e12,
        },
        "latency_targets": {
            "intra_city_s": 0.001,
            "inter_central_city_s": 0.005,
            "mode": "one_way",
        },
        "platform": {
            "host_granularity": "pod",
            "pod_racks": 20,
        },
        "cities": cities,
        "node_types": NODE_TYPES,
        "sites": sites,
        "links": build_links(positions),
        "demand_points": build_demand_points(),
        "workload": WORKLOAD,
        "growth": GROWTH,
        "costs": COSTS,
    }
    return scenario, seats


# ===================================================================== workload

# A simulated day of the province's workload (docs/fujian.md, "Workload"). Trace paths are relative
# to the scenario file; the traces are in ../shared/data beside the project.
DATA = "../../shared/data"
WORKLOAD = {
    "classes": [
        {
            # 10^5 latency-critical requests per second province-wide (video analytics, V2X, cloud
            # gaming), from the county seats, peaking at 20:00; 10 per second are simulated, each
            # standing for 10,000.
            "name": "edge-requests",
            "kind": "latency_critical",
            "placement": "nearest",
            "origin_level": "demand_point",
            "site_kinds": ["edge_dc", "core_cluster"],
            "arrivals": {"process": "poisson", "rate_per_s": 1e5, "diurnal_amplitude": 0.5,
                         "peak_hour": 20},
            "simulated_rate_per_s": 10,
            "service_s": 0.005,
            "cores": 1,
            "budget_s": 0.001,
            "input_bytes": 2000,
        },
        {
            "name": "llm-chat",
            "kind": "ai_inference",
            "placement": "least_loaded",
            "site_kinds": ["gpu_center", "core_cluster"],
            "arrivals": {"process": "trace", "format": "azure_inference", "repeat": True,
                         "file": DATA + "/inference/AzureLLMInferenceTrace_conv.csv"},
            "gpus": 1,
            "cores": 4,
            "seconds_per_token": 0.02,
            "input_bytes": 20000,
        },
        {
            "name": "llm-code",
            "kind": "ai_inference",
            "placement": "least_loaded",
            "site_kinds": ["gpu_center", "core_cluster"],
            "arrivals": {"process": "trace", "format": "azure_inference", "repeat": True,
                         "file": DATA + "/inference/AzureLLMInferenceTrace_code.csv"},
            "gpus": 1,
            "cores": 4,
            "seconds_per_token": 0.02,
            "input_bytes": 20000,
        },
        {
            # Pods resampled from the Alibaba GPU trace (7,255 scheduled pods: mean 8.2 GPU-hours,
            # median run 10 min, longest 145 days) at 0.28 pods/s, so that the AI GPUs are about
            # 30 % busy (0.28 x 8.22 GPU-h x 3,600 = 8,282 of 27,624 GPUs), the average reported for
            # Chinese intelligent-computing centres (docs/fujian.md). Daily swing 0.46, the first
            # harmonic of the trace's own creation times folded on 24 h, with its peak put at 15:00
            # (the trace's clock has no documented time zone). Warm start: the pods running at
            # midnight in steady state are there at 0. Deadline: 3 x run time after submission.
            "name": "ai-training",
            "kind": "ai_training",
            "placement": "least_loaded",
            "site_kinds": ["gpu_center", "core_cluster"],
            "arrivals": {"process": "resample", "format": "alibaba_gpu", "rate_per_s": 0.28,
                         "diurnal_amplitude": 0.46, "peak_hour": 15, "warm_start": True,
                         "file": DATA + "/gpu/openb_pod_list_default.csv"},
            "deadline_factor": 3,
            "input_bytes": 1e9,
        },
        {
            # General cloud load: 2,000 tenants of 6,144 cores (about 40 % of the province's
            # general-purpose cores), 45 % busy on average, peaking at 15:00.
            "name": "cloud",
            "kind": "cloud_service",
            "placement": "least_loaded",
            "site_kinds": ["core_cluster", "gpu_center", "supercomputing_center"],
            "services": 2000,
            "cores": 6144,
            "utilization_mean": 0.45,
            "arrivals": {"process": "poisson", "rate_per_s": 1, "diurnal_amplitude": 0.3,
                         "peak_hour": 15},
        },
        {
            # The first day of the CEA Curie log on the two supercomputing centres.
            "name": "hpc",
            "kind": "hpc_batch",
            "placement": "least_loaded",
            "site_kinds": ["supercomputing_center"],
            "arrivals": {"process": "trace", "format": "swf",
                         "file": DATA + "/swf/CEA-Curie-2011-2.1-cln-b1.swf.gz"},
            "cores_per_proc": 1,
        },
    ]
}


# ===================================================================== checks

def shortest_latencies(scenario, source):
    """One-way latency (s) from `source` to every node over metro + explicit links."""
    pos = {c["name"]: (c["lat_deg"], c["lon_deg"]) for c in scenario["cities"]}
    pos.update({s["name"]: (s["lat_deg"], s["lon_deg"]) for s in scenario["sites"]})
    net = {"fiber_latency_s_per_km": FIBER_LATENCY_S_PER_KM, "route_factor": ROUTE_FACTOR,
           "hop_delay_s": HOP_DELAY_S}
    net.update(scenario.get("network", {}))
    adj = {n: [] for n in pos}

    def add(a, b, km):
        lat = km * net["fiber_latency_s_per_km"] + net["hop_delay_s"]
        adj[a].append((b, lat))
        adj[b].append((a, lat))

    for s in scenario["sites"]:
        if s.get("attach_to_city", True):
            km = s.get("metro_fiber_km")
            if km is None:
                km = haversine_km(*pos[s["name"]], *pos[s["city"]]) * net["route_factor"]
            add(s["name"], s["city"], km)
    for link in scenario["links"]:
        add(link["from"], link["to"], link["fiber_km"])
    dist = {source: 0.0}
    heap = [(0.0, source)]
    while heap:
        d, u = heapq.heappop(heap)
        if d > dist.get(u, math.inf):
            continue
        for v, w in adj[u]:
            if d + w < dist.get(v, math.inf):
                dist[v] = d + w
                heapq.heappush(heap, (d + w, v))
    return dist


def check_and_summarize(scenario, seats):
    sites = scenario["sites"]
    cities = {c["name"] for c in scenario["cities"]}
    names = [c["name"] for c in scenario["cities"]] + [s["name"] for s in sites]
    assert len(names) == len(set(names)), "city and site names must be unique"
    assert all(n.isascii() for n in names)
    dp_names = [d["name"] for d in scenario["demand_points"]]
    assert len(dp_names) == len(set(dp_names)), "demand point names must be unique"
    for s in sites:
        assert s["city"] in cities, s["name"]
        installed = site_installed_racks(s)
        assert installed <= s["racks"], (s["name"], installed, s["racks"])
        c = s["cooling"]
        assert c["air_share"] + c["liquid_share"] == 1.0, s["name"]
        if s.get("hub"):
            assert c["design_pue"] <= 1.25, s["name"]
        elif s["kind"] != "edge_dc":
            assert c["design_pue"] <= 1.3, s["name"]
    edges = [s for s in sites if s["kind"] == "edge_dc"]
    assert len(edges) == EDGE_SITES, len(edges)
    for s in edges:
        assert EDGE_MIN_RACKS <= s["racks"] <= EDGE_MAX_RACKS, s["name"]
        seat = seats[s["name"]]
        assert haversine_km(s["lat_deg"], s["lon_deg"], *seat) <= 5.0, s["name"]
    total_racks = sum(s["racks"] for s in sites)
    assert total_racks == TOTAL_RACKS, total_racks
    total_flops = sum(site_flops(s) for s in sites)
    assert total_flops >= MIN_TOTAL_FLOPS, total_flops
    hpc_flops = sum(site_flops(s) for s in sites if s["kind"] == "supercomputing_center")
    assert hpc_flops >= MIN_HPC_FLOPS, hpc_flops
    installed = sum(site_installed_racks(s) for s in sites)
    occupancy = installed / total_racks
    assert 0.60 <= occupancy <= 0.80, occupancy
    for link in scenario["links"]:
        assert 4e12 <= link["bandwidth_bps"] <= 1.6e13
    # connectivity: every city and site reachable from the Fuzhou hub
    from_fuzhou = shortest_latencies(scenario, "fuzhou")
    unreachable = [n for n in names if n not in from_fuzhou]
    assert not unreachable, unreachable
    central = [c["name"] for c in scenario["cities"] if c["role"] == "central"]
    circle = {}
    for i, a in enumerate(central):
        lat_a = shortest_latencies(scenario, a)
        for b in central[i + 1:]:
            circle[(a, b)] = lat_a[b]
            assert lat_a[b] <= scenario["latency_targets"]["inter_central_city_s"], (a, b)
    metro = {}
    for s in sites:
        km = haversine_km(s["lat_deg"], s["lon_deg"],
                          *next((c["lat_deg"], c["lon_deg"]) for c in scenario["cities"]
                                if c["name"] == s["city"])) * ROUTE_FACTOR
        metro[s["name"]] = km * FIBER_LATENCY_S_PER_KM + HOP_DELAY_S
    for s in sites:
        if s["kind"] != "edge_dc":
            assert metro[s["name"]] <= scenario["latency_targets"]["intra_city_s"], s["name"]
    return {
        "total_racks": total_racks,
        "edge_racks": sum(s["racks"] for s in edges),
        "core_racks": total_racks - sum(s["racks"] for s in edges),
        "total_flops": total_flops,
        "hpc_flops": hpc_flops,
        "gpu_fp16_flops": sum(n["count"] * NODE_TYPE_BY_NAME[n["type"]]["gpus"]
                              * NODE_TYPE_BY_NAME[n["type"]]["gpu_speed_flops"]
                              for s in sites for n in s["nodes"]
                              if n["type"] == "gpu-ai-8x"),
        "edge_flops": sum(site_flops(s) for s in edges),
        "edge_count": len(edges),
        "installed_racks": installed,
        "occupancy": occupancy,
        "edge_occupancy": sum(site_installed_racks(s) for s in edges)
        / sum(s["racks"] for s in edges),
        "servers": {t["name"]: sum(n["count"] for s in sites for n in s["nodes"]
                                   if n["type"] == t["name"]) for t in NODE_TYPES},
        "it_power_w": installed * STANDARD_RACK_W,
        "physical_racks": sum(site_physical_racks(s) for s in sites),
        "circle": circle,
        "edge_metro_over_1ms": sorted(n for n, v in metro.items() if v > 0.001),
        "max_edge_metro_s": max(metro[s["name"]] for s in edges),
    }


def markdown_table(scenario):
    lines = ["| site | kind | city | racks | size class | installed servers | "
             "installed occupancy | compute (PFLOPS) | liquid share | design PUE |",
             "|---|---|---|---:|---|---|---:|---:|---:|---:|"]
    for s in scenario["sites"]:
        if s["kind"] == "edge_dc":
            continue
        r = s["racks"]
        size = ("hyperscale" if r >= 10000 else "large" if r >= 3000
                else "small_medium" if r > 100 else "edge")
        servers = ", ".join(f"{n['count']:,} {n['type']}" for n in s["nodes"])
        lines.append(
            f"| {s['name']}{' (hub)' if s.get('hub') else ''} | {s['kind']} | {s['city']} "
            f"| {r:,} | {size} | {servers} | {site_installed_racks(s) / r:.1%} "
            f"| {site_flops(s) / 1e15:,.1f} | {s['cooling']['liquid_share']:.2f}"
            f"{' (immersion)' if s['cooling'].get('liquid_technology') == 'immersion' else ''} "
            f"| {s['cooling']['design_pue']:.2f} |")
    edges = [s for s in scenario["sites"] if s["kind"] == "edge_dc"]
    er = sum(s["racks"] for s in edges)
    lines.append(
        f"| 300 × edge-… | edge_dc | all ten | {er:,} | edge | "
        f"{sum(n['count'] for s in edges for n in s['nodes']):,} edge-server "
        f"| {sum(site_installed_racks(s) for s in edges) / er:.1%} "
        f"| {sum(site_flops(s) for s in edges) / 1e15:,.1f} | 0 | 1.40–1.50 |")
    return "\n".join(lines)


def main(argv):
    scenario, seats = build_scenario()
    summary = check_and_summarize(scenario, seats)
    text = to_json(scenario) + "\n"
    tmp = OUTPUT_PATH + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    os.replace(tmp, OUTPUT_PATH)
    print(f"wrote {os.path.relpath(OUTPUT_PATH)}")
    print(f"  sites: {len(scenario['sites'])} ({summary['edge_count']} edge_dc), "
          f"links: {len(scenario['links'])}, demand points: {len(scenario['demand_points'])}")
    print(f"  standard racks: {summary['total_racks']:,} "
          f"(core/centres {summary['core_racks']:,}, edge {summary['edge_racks']:,})")
    print(f"  installed: {summary['installed_racks']:,.0f} standard racks, occupancy "
          f"{summary['occupancy']:.1%} (edge {summary['edge_occupancy']:.1%}), "
          f"IT power at full load {summary['it_power_w'] / 1e6:,.1f} MW")
    print("  servers: " + ", ".join(f"{v:,} {k}" for k, v in summary["servers"].items()))
    print(f"  physical racks (SimGrid hosts at rack granularity): {summary['physical_racks']:,}")
    print(f"  total compute: {summary['total_flops'] / 1e18:.3f} EFLOPS "
          f"(AI GPUs FP16 {summary['gpu_fp16_flops'] / 1e18:.3f} EFLOPS; edge "
          f"{summary['edge_flops'] / 1e15:.1f} PFLOPS)")
    print(f"  supercomputing centres: {summary['hpc_flops'] / 1e15:.1f} PFLOPS (FP64)")
    for (a, b), lat in summary["circle"].items():
        print(f"  hub-to-hub one-way latency {a}-{b}: {lat * 1e3:.3f} ms")
    print(f"  longest edge metro latency: {summary['max_edge_metro_s'] * 1e3:.3f} ms; "
          f"edge sites over 1 ms to their hub: {len(summary['edge_metro_over_1ms'])} "
          f"{summary['edge_metro_over_1ms']}")
    if "--markdown" in argv:
        print()
        print(markdown_table(scenario))
        print()
        print("| link | fiber km | bandwidth (Tb/s) | one-way latency (ms) |")
        print("|---|---:|---:|---:|")
        for link in scenario["links"]:
            lat = link["fiber_km"] * FIBER_LATENCY_S_PER_KM + HOP_DELAY_S
            print(f"| {link['from']} – {link['to']} | {link['fiber_km']:.0f} "
                  f"| {link['bandwidth_bps'] / 1e12:g} | {lat * 1e3:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
