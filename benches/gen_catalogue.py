#!/usr/bin/env python3
"""Generate a synthetic gotong catalogue for benchmarks and tests.

    python3 benches/gen_catalogue.py --firms N [--products 5] [--seed 1]
        [--images K] [--plant-pairs P] [--event P:S:T] [--hugo DIR] [--force] OUT_DIR

Writes a complete gotong site (site.yaml, content/...) into OUT_DIR following
/work/shared/SPEC.md sections 1-5, and optionally an equivalent Hugo site into
DIR so that both generators can be timed on the same catalogue.

Standard library only. The output depends on the arguments alone: every firm
draws from its own random stream seeded by (seed, index), so firm 42 is the
same firm whatever --firms is (only --plant-pairs rewrites a few firms).
"""

import argparse
import json
import os
import random
import re
import shutil
import struct
import sys
import zlib

# --------------------------------------------------------------------------
# The SPEC's enumerations (section 3).

DISTRICTS = {
    "Cimahi Utara": ["Cibabat", "Cipageran", "Citeureup", "Pasirkaliki"],
    "Cimahi Tengah": ["Baros", "Cigugur Tengah", "Cimahi", "Karangmekar", "Padasuka", "Setiamanah"],
    "Cimahi Selatan": ["Cibeber", "Cibeureum", "Leuwigajah", "Melong", "Utama"],
}
DISTRICT_NAMES = sorted(DISTRICTS)
SECTORS = ["makanan-minuman", "tekstil", "kerajinan", "telematika"]
INSTITUTIONS = ["bank", "academia", "association", "government", "retail"]
CERTIFICATIONS = ["nib", "pirt", "bpom", "halal", "sni", "hki"]
MARKETS = ["lokal", "nasional", "ekspor"]
COOPERATION = ["pemasok", "subkontrak", "distribusi", "waralaba", "co-branding", "pelatihan", "pembiayaan", "riset"]

# --------------------------------------------------------------------------
# Controlled vocabulary: parent -> English label, children as
# "slug:English label[:synonym,synonym]". Indonesian labels come from the slug.

VOCABULARY = [
    ("bahan-pangan", "Food raw materials", [
        "singkong:Cassava", "tepung-singkong:Cassava flour:mocaf", "tepung-terigu:Wheat flour:terigu",
        "tepung-tapioka:Tapioca starch:aci", "gula-pasir:Cane sugar", "gula-aren:Palm sugar:gula-merah",
        "beras:Rice", "kedelai:Soybeans", "jagung:Maize", "cabai:Chilli:cabe", "bawang:Shallots and garlic",
        "minyak-goreng:Cooking oil", "telur:Eggs", "susu-segar:Fresh milk", "daging-ayam:Chicken meat",
        "kopi-mentah:Green coffee beans", "rempah:Spices:bumbu-dapur", "buah-segar:Fresh fruit", "sayuran:Vegetables"]),
    ("pangan-olahan", "Processed food", [
        "rasi:Cassava rice:beras-singkong", "keripik:Chips", "kerupuk:Crackers", "opak:Opak crackers",
        "dodol:Dodol", "sambal:Chilli sauce", "kue-kering:Cookies", "roti:Bread", "makanan-beku:Frozen food:frozen-food",
        "minuman-kemasan:Packaged drinks", "kopi-bubuk:Ground coffee", "teh:Tea", "oleh-oleh:Souvenir food"]),
    ("kemasan", "Packaging", [
        "kemasan-plastik:Plastic packaging:plastik-kemasan", "kemasan-karton:Cardboard packaging:kardus,dus",
        "standing-pouch:Standing pouches", "botol-kaca:Glass bottles", "botol-plastik:Plastic bottles",
        "label-produk:Product labels:stiker-label", "kemasan-kaleng:Cans", "kantong-kertas:Paper bags",
        "box-makanan:Food boxes"]),
    ("bahan-tekstil", "Textile materials", [
        "kain-katun:Cotton fabric", "kain-denim:Denim", "kain-rajut:Knit fabric", "kain-batik:Batik fabric",
        "benang:Yarn", "kancing:Buttons", "resleting:Zips:ritsleting", "kain-poliester:Polyester fabric",
        "kulit-sintetis:Synthetic leather", "aksesoris-garmen:Garment trims"]),
    ("produk-tekstil", "Textile products", [
        "kaos:T-shirts", "kemeja:Shirts", "seragam:Uniforms", "jaket:Jackets", "celana-jeans:Jeans",
        "hijab:Hijabs:kerudung", "tas-kain:Fabric bags", "mukena:Prayer garments", "pakaian-anak:Children's wear",
        "sarung:Sarongs", "handuk:Towels"]),
    ("jasa-tekstil", "Textile services", [
        "jasa-jahit:Sewing:konveksi", "jasa-sablon:Screen printing:sablon", "jasa-bordir:Embroidery:bordir",
        "jasa-potong-kain:Fabric cutting", "jasa-cetak-kain:Fabric printing", "pewarnaan-kain:Fabric dyeing",
        "jasa-pola:Pattern making"]),
    ("bahan-kerajinan", "Craft materials", [
        "bambu:Bamboo", "rotan:Rattan", "kayu-olahan:Processed timber", "kulit-sapi:Cowhide",
        "kain-perca:Fabric scraps", "resin:Resin", "manik-manik:Beads", "logam-kuningan:Brass",
        "kertas-daur-ulang:Recycled paper", "tanah-liat:Clay"]),
    ("produk-kerajinan", "Craft products", [
        "anyaman-bambu:Bamboo weaving", "mebel-kayu:Wooden furniture", "tas-kulit:Leather bags",
        "sepatu-kulit:Leather shoes", "dompet-kulit:Leather wallets", "souvenir:Souvenirs:cendera-mata",
        "boneka:Dolls", "keramik-hias:Decorative ceramics", "aksesoris-fesyen:Fashion accessories",
        "lampu-hias:Decorative lamps", "wayang-golek:Wooden puppets"]),
    ("jasa-telematika", "Telematics services", [
        "pengembangan-aplikasi:App development:bikin-aplikasi", "pembuatan-website:Web development:bikin-website",
        "animasi:Animation", "desain-grafis:Graphic design", "game:Games", "hosting:Hosting",
        "jaringan-komputer:Computer networks", "perangkat-iot:IoT devices", "servis-komputer:Computer repair",
        "konten-video:Video content"]),
    ("pemasaran", "Marketing", [
        "pemasaran-digital:Digital marketing:digital-marketing", "fotografi-produk:Product photography:foto-produk",
        "toko-daring:Online shops:marketplace", "pameran:Trade fairs:expo", "reseller:Resellers",
        "agen-distribusi:Distribution agents", "promosi-media-sosial:Social media promotion",
        "desain-merek:Brand design:branding"]),
    ("keuangan", "Finance", [
        "kredit-modal-kerja:Working-capital loans:modal-kerja", "kredit-investasi:Investment loans",
        "kur:People's business credit:kredit-usaha-rakyat", "hibah:Grants", "pembukuan:Bookkeeping",
        "asuransi-usaha:Business insurance", "pembayaran-digital:Digital payments:qris",
        "modal-ventura:Venture capital"]),
    ("pelatihan", "Training", [
        "pelatihan-produksi:Production training", "pelatihan-manajemen:Management training",
        "pelatihan-ekspor:Export training", "pendampingan-usaha:Business mentoring",
        "pelatihan-digital:Digital skills training", "magang:Internships",
        "sertifikasi-kompetensi:Competency certification"]),
    ("perizinan", "Permits and certification", [
        "pengurusan-nib:Business ID registration", "pengurusan-pirt:Home food licence",
        "sertifikasi-halal:Halal certification", "sertifikasi-bpom:Food and drug approval",
        "pendaftaran-merek:Trademark registration:hki-merek", "sertifikasi-sni:National standard certification",
        "uji-laboratorium:Laboratory testing"]),
    ("mesin-peralatan", "Machinery and tools", [
        "mesin-jahit:Sewing machines", "mesin-bordir:Embroidery machines", "mesin-pengemas:Packing machines",
        "mesin-penggiling:Grinders", "oven-industri:Industrial ovens", "mesin-press:Presses",
        "perkakas-kayu:Woodworking tools", "mesin-cnc:CNC machines", "perawatan-mesin:Machine maintenance",
        "suku-cadang:Spare parts"]),
    ("logistik", "Logistics", [
        "jasa-pengiriman:Shipping:ekspedisi", "pergudangan:Warehousing:gudang", "cold-storage:Cold storage",
        "angkutan-barang:Freight transport", "kurir-lokal:Local couriers"]),
    ("riset", "Research and development", [
        "riset-produk:Product research", "uji-mutu:Quality testing", "desain-produk:Product design",
        "teknologi-tepat-guna:Appropriate technology", "kajian-pasar:Market studies"]),
    ("sumber-daya-manusia", "Workforce", [
        "tenaga-jahit:Sewing workers", "tenaga-produksi:Production workers", "tenaga-ahli:Experts",
        "tenaga-pemasaran:Sales staff", "tenaga-admin:Office staff"]),
    ("bahan-kimia", "Chemicals and dyes", [
        "pewarna-alami:Natural dyes", "pewarna-sintetis:Synthetic dyes", "bahan-pengawet:Preservatives",
        "perisa:Flavourings", "lem-industri:Industrial glue", "cat:Paint"]),
    ("energi-utilitas", "Energy and utilities", [
        "gas-industri:Industrial gas:elpiji", "listrik-surya:Solar power", "pengolahan-limbah:Waste treatment",
        "air-bersih:Clean water"]),
    ("ruang-usaha", "Business premises", [
        "sewa-tempat-produksi:Workshop rental", "ruang-pamer:Showrooms:showroom", "kios:Kiosks",
        "ruang-kerja-bersama:Coworking space:coworking"]),
]

# The most popular tags, most popular first: what nearly every IKM looks for.
POPULAR_HEAD = ["pemasaran-digital", "kemasan-plastik", "kredit-modal-kerja", "jasa-pengiriman",
                "label-produk", "toko-daring", "sertifikasi-halal", "pelatihan-digital"]

# Which parents a firm of a sector or kind draws its offers, needs and
# product materials from (the rest comes from the whole vocabulary).
OFFER_POOLS = {
    "makanan-minuman": ["pangan-olahan", "bahan-pangan"],
    "tekstil": ["produk-tekstil", "jasa-tekstil"],
    "kerajinan": ["produk-kerajinan", "bahan-kerajinan"],
    "telematika": ["jasa-telematika"],
    "bank": ["keuangan"],
    "academia": ["riset", "pelatihan", "sumber-daya-manusia"],
    "association": ["pelatihan", "pemasaran"],
    "government": ["perizinan", "pelatihan", "ruang-usaha"],
    "retail": ["pemasaran", "logistik"],
}
NEED_POOLS = {
    "makanan-minuman": ["bahan-pangan", "kemasan", "perizinan", "bahan-kimia"],
    "tekstil": ["bahan-tekstil", "mesin-peralatan", "sumber-daya-manusia"],
    "kerajinan": ["bahan-kerajinan", "mesin-peralatan", "pemasaran"],
    "telematika": ["sumber-daya-manusia", "keuangan", "ruang-usaha"],
    "bank": ["pemasaran", "jasa-telematika"],
    "academia": ["ruang-usaha", "jasa-telematika"],
    "association": ["pemasaran", "ruang-usaha"],
    "government": ["jasa-telematika", "pemasaran"],
    "retail": ["pangan-olahan", "produk-tekstil", "produk-kerajinan", "logistik"],
}
MATERIAL_POOLS = {
    "makanan-minuman": ["bahan-pangan", "kemasan", "bahan-kimia"],
    "tekstil": ["bahan-tekstil", "bahan-kimia"],
    "kerajinan": ["bahan-kerajinan", "bahan-kimia"],
    "telematika": ["mesin-peralatan"],
}
COOPERATION_BY_KIND = {
    "bank": ["pembiayaan"],
    "academia": ["riset", "pelatihan"],
    "association": ["pelatihan", "distribusi"],
    "government": ["pelatihan", "pembiayaan"],
    "retail": ["distribusi", "co-branding"],
}

# --------------------------------------------------------------------------
# Products: base name, category, unit, typical price. A variant word is added.

PRODUCTS = {
    "makanan-minuman": (
        [("Keripik Singkong", "makanan-ringan", "pak", 12000), ("Rasi", "makanan-pokok", "kg", 15000),
         ("Opak", "makanan-ringan", "pak", 10000), ("Dodol Nanas", "makanan-ringan", "kotak", 25000),
         ("Sambal Botol", "bumbu-sambal", "botol", 22000), ("Kopi Bubuk", "minuman", "pak", 35000),
         ("Teh Rempah", "minuman", "kotak", 20000), ("Kue Kering", "kue-roti", "toples", 45000),
         ("Roti Manis", "kue-roti", "pcs", 6000), ("Bakso Beku", "makanan-beku", "pak", 30000),
         ("Tepung Mocaf", "makanan-pokok", "kg", 14000), ("Kerupuk Bawang", "makanan-ringan", "kg", 28000),
         ("Minuman Jahe", "minuman", "botol", 9000), ("Cireng Beku", "makanan-beku", "pak", 18000)],
        ["Pedas", "Original", "Balado", "Premium", "Manis", "Ekonomis", "Keju", "Spesial"]),
    "tekstil": (
        [("Kaos Polos", "pakaian", "pcs", 45000), ("Kemeja Batik", "pakaian", "pcs", 150000),
         ("Seragam Sekolah", "seragam", "stel", 120000), ("Seragam Kerja", "seragam", "stel", 175000),
         ("Jaket Hoodie", "pakaian", "pcs", 160000), ("Celana Jeans", "pakaian", "pcs", 140000),
         ("Hijab Segi Empat", "pakaian", "pcs", 35000), ("Mukena", "pakaian", "pcs", 125000),
         ("Tas Kain", "tas-aksesoris", "pcs", 30000), ("Sprei", "tekstil-rumah", "set", 180000),
         ("Handuk", "tekstil-rumah", "pcs", 40000), ("Jasa Sablon Kaos", "jasa-produksi", "pcs", 15000)],
        ["Anak", "Dewasa", "Katun", "Premium", "Motif", "Polos", "Bordir"]),
    "kerajinan": (
        [("Anyaman Bambu", "dekorasi", "pcs", 75000), ("Kursi Rotan", "mebel", "unit", 650000),
         ("Meja Kayu", "mebel", "unit", 1200000), ("Tas Kulit", "tas-aksesoris", "pcs", 350000),
         ("Sepatu Kulit", "alas-kaki", "pasang", 425000), ("Sandal Anyaman", "alas-kaki", "pasang", 85000),
         ("Dompet Kulit", "tas-aksesoris", "pcs", 150000), ("Gantungan Kunci", "cendera-mata", "lusin", 60000),
         ("Boneka Kain", "cendera-mata", "pcs", 55000), ("Vas Keramik", "dekorasi", "pcs", 95000),
         ("Lampu Hias", "dekorasi", "pcs", 210000), ("Wayang Golek", "cendera-mata", "pcs", 300000)],
        ["Ukir", "Mini", "Klasik", "Etnik", "Modern", "Set"]),
    "telematika": (
        [("Aplikasi Kasir", "perangkat-lunak", "lisensi", 1500000), ("Pembuatan Website", "jasa-digital", "proyek", 5000000),
         ("Animasi Promosi", "jasa-digital", "menit", 2500000), ("Desain Logo", "jasa-digital", "paket", 750000),
         ("Game Edukasi", "perangkat-lunak", "lisensi", 3000000), ("Sistem Inventaris", "perangkat-lunak", "lisensi", 4000000),
         ("Sensor Kebun IoT", "perangkat-keras", "unit", 850000), ("Servis Laptop", "jasa-digital", "unit", 250000),
         ("Video Profil", "jasa-digital", "proyek", 3500000), ("Hosting Web", "jasa-digital", "bulan", 100000)],
        ["UMKM", "Pro", "Dasar", "Lengkap", "Android", "Sekolah"]),
    "bank": (
        [("Kredit Usaha Rakyat", "jasa-keuangan", None, 0), ("Kredit Modal Kerja", "jasa-keuangan", None, 0),
         ("Kredit Investasi", "jasa-keuangan", None, 0), ("Tabungan Usaha", "jasa-keuangan", None, 0),
         ("Pembayaran QRIS", "jasa-keuangan", None, 0), ("Pembiayaan Syariah", "jasa-keuangan", None, 0),
         ("Asuransi Usaha", "jasa-keuangan", "tahun", 500000)],
        ["Mikro", "Kecil", "Plus"]),
    "academia": (
        [("Pelatihan Produksi", "jasa-pelatihan", "orang", 750000), ("Uji Laboratorium", "jasa-usaha", "sampel", 350000),
         ("Pendampingan Usaha", "jasa-pelatihan", None, 0), ("Riset Produk", "jasa-usaha", "proyek", 10000000),
         ("Magang Mahasiswa", "jasa-pelatihan", None, 0), ("Desain Kemasan", "jasa-usaha", "desain", 1500000)],
        ["Terapan", "Dasar", "Lanjutan"]),
    "association": (
        [("Pameran Bersama", "jasa-usaha", "stan", 2000000), ("Pelatihan Anggota", "jasa-pelatihan", None, 0),
         ("Temu Usaha", "jasa-usaha", None, 0), ("Konsultasi Perizinan", "jasa-usaha", "sesi", 150000),
         ("Promosi Bersama", "jasa-usaha", "bulan", 300000)],
        ["Tahunan", "Bulanan", "Daring"]),
    "government": (
        [("Fasilitasi Sertifikasi Halal", "jasa-usaha", None, 0), ("Klinik HKI", "jasa-usaha", None, 0),
         ("Pelatihan Kewirausahaan", "jasa-pelatihan", None, 0), ("Bantuan Peralatan", "jasa-usaha", None, 0),
         ("Fasilitasi NIB", "jasa-usaha", None, 0), ("Temu Usaha IKM", "jasa-usaha", None, 0)],
        ["Gratis", "Terpadu", "Keliling"]),
    "retail": (
        [("Konsinyasi Produk IKM", "ritel", "bulan", 250000), ("Rak Produk Lokal", "ritel", "bulan", 400000),
         ("Penjualan Daring", "ritel", "bulan", 300000), ("Paket Oleh-oleh", "ritel", "paket", 150000),
         ("Distribusi Grosir", "ritel", "karton", 500000)],
        ["Reguler", "Premium", "Musiman"]),
}
FREE_TAGS = ["tanpa-pengawet", "buatan-tangan", "ramah-lingkungan", "terlaris", "produk-baru",
             "edisi-terbatas", "bisa-custom", "siap-kirim"]

# --------------------------------------------------------------------------
# Names.

NAME_A = ["Maju", "Sinar", "Berkah", "Mekar", "Cahaya", "Karya", "Sari", "Mitra", "Putra", "Putri",
          "Tunas", "Lestari", "Sejahtera", "Abadi", "Bintang", "Harapan", "Sumber", "Griya", "Anugrah", "Insan"]
NAME_B = ["Jaya", "Makmur", "Mandiri", "Sentosa", "Utama", "Sejati", "Rezeki", "Bersama", "Nusantara",
          "Parahyangan", "Priangan", "Pasundan", "Kreasi", "Indah", "Baru", "Barokah", "Sauyunan", "Wargi",
          "Cireundeu", "Gemilang"]
SECTOR_WORD = {
    "makanan-minuman": ["Rasa", "Dapur", "Boga", "Pangan"],
    "tekstil": ["Konveksi", "Garmen", "Busana", "Tekstil"],
    "kerajinan": ["Kriya", "Anyaman", "Kerajinan", "Seni"],
    "telematika": ["Digital", "Solusi", "Tekno", "Media"],
}
INSTITUTION_NAMES = {
    "bank": (["Bank Perkreditan Rakyat", "Bank Syariah", "BPR", "Bank Daerah"], ["Cabang", "Unit", "Kantor Kas"]),
    "academia": (["Politeknik", "Universitas", "Sekolah Tinggi Teknik", "Institut"], ["Kampus", "Fakultas", "Pusat Inkubator"]),
    "association": (["Asosiasi IKM", "Himpunan Pengrajin", "Paguyuban Usaha", "Forum Pelaku Usaha"], ["Wilayah", "Sektor", "Komisariat"]),
    "government": (["UPTD Pelayanan IKM", "Balai Latihan Kerja", "Dinas Perdagangan dan Perindustrian", "Rumah Kreatif"], ["Seksi", "Bidang", "Pos"]),
    "retail": (["Toko Oleh-oleh", "Swalayan", "Galeri Produk", "Pusat Belanja"], ["Gerai", "Outlet", "Cabang"]),
}
STREETS = ["Jl. Amir Machmud", "Jl. Gatot Subroto", "Jl. Baros", "Jl. Kolonel Masturi", "Jl. Sangkuriang",
           "Jl. Encep Kartawiria", "Jl. Pesantren", "Jl. Leuwigajah", "Jl. Cihanjuang", "Jl. Mahar Martanegara",
           "Jl. Daeng Muhammad Ardiwinata", "Jl. Kebon Kopi", "Jl. Cibeber", "Jl. Sudirman", "Jl. Raden Demang Hardjakusumah"]

# Filler text: Indonesian words strung into sentences (not meant to be read).
WORDS = ("usaha kami produk kualitas bahan pilihan pelanggan pesanan dikerjakan dengan teliti dan yang untuk "
         "kota warga sekitar sejak berdiri melayani permintaan pasar lokal ramah lingkungan harga terjangkau "
         "kemasan menarik tenaga kerja terampil pelatihan rutin mitra bersama koperasi modal mesin produksi "
         "kapasitas setiap bulan minggu hari siap mengirim ke seluruh daerah tangan resep keluarga segar "
         "terbaik pengrajin desain modern tradisional khusus skala besar kecil menengah cepat rapi jujur "
         "pemasaran daring toko galeri pameran kualitas terjaga hasil karya anak muda ibu rumah tangga "
         "tumbuh berkembang gotong royong saling membutuhkan menguntungkan kerjasama industri kreatif").split()
CLOSINGS = ["Hubungi kami untuk pesanan partai besar.", "Kunjungi galeri kami pada hari kerja.",
            "Kami terbuka untuk kerja sama dengan IKM lain.", "Pesanan khusus dapat didiskusikan.",
            "Terima kasih atas dukungan warga Cimahi."]

def slugify(text):
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# --------------------------------------------------------------------------
# YAML output (a small, safe subset that any YAML 1.1/1.2 reader agrees on).

_PLAIN = re.compile(r"^[A-Za-z][A-Za-z0-9 .,()/'+-]*$")
_YAML_WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n"}


def ys(value):
    """A YAML scalar for a string: plain when unambiguous, else double-quoted."""
    if _PLAIN.match(value) and value.lower() not in _YAML_WORDS and not value.endswith(" "):
        return value
    return json.dumps(value)


def ylist(items):
    return "[" + ", ".join(ys(x) for x in items) + "]"


# --------------------------------------------------------------------------
# PNG images, written by hand (zlib + struct).

def png_bytes(width, height, colour_a, colour_b, stripe, slope):
    """A width x height RGB PNG of diagonal stripes in two colours."""
    period = 2 * stripe
    unit = bytes(colour_a) * stripe + bytes(colour_b) * stripe
    pattern = unit * ((width + period) // period + 1)
    rows = []
    for y in range(height):
        start = ((y * slope) % period) * 3
        rows.append(b"\x00" + pattern[start:start + width * 3])
    raw = b"".join(rows)

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 6))
            + chunk(b"IEND", b""))


def random_png(rng, width, height):
    colour_a = tuple(rng.randrange(256) for _ in range(3))
    colour_b = tuple(rng.randrange(256) for _ in range(3))
    return png_bytes(width, height, colour_a, colour_b, rng.randrange(4, 40), rng.randrange(1, 5))


# --------------------------------------------------------------------------
# Vocabulary with Zipf-like popularity.

class Vocabulary:
    def __init__(self, seed):
        self.parent_of = {}
        self.children = {}
        self.label_en = {}
        self.synonyms = {}
        for parent, parent_en, kids in VOCABULARY:
            self.label_en[parent] = parent_en
            self.children[parent] = []
            for entry in kids:
                parts = entry.split(":")
                slug = parts[0]
                self.label_en[slug] = parts[1]
                if len(parts) > 2:
                    self.synonyms[slug] = parts[2].split(",")
                self.children[parent].append(slug)
                self.parent_of[slug] = parent
        self.extra = []  # planted tags: (slug, label, label_en), no parent
        # Popularity: POPULAR_HEAD, then a seeded shuffle of the other leaves,
        # gives each leaf a rank; the weight of rank r is 1/(r+1)^1.1, so a
        # handful of tags are very common and most are rare.
        self.leaves = sorted(self.parent_of)
        tail = [t for t in self.leaves if t not in POPULAR_HEAD]
        random.Random(f"{seed}:vocabulary").shuffle(tail)
        order = POPULAR_HEAD + tail
        self.rank = {tag: r for r, tag in enumerate(order)}
        self.weight = {tag: 1.0 / (r + 1) ** 1.1 for tag, r in self.rank.items()}
        self.by_popularity = order
        self._global = self._pool(self.leaves)
        self._pools = {}

    @staticmethod
    def label(slug):
        return slug.replace("-", " ").capitalize()

    def _pool(self, tags):
        tags = sorted(tags, key=self.rank.get)
        cum, total = [], 0.0
        for tag in tags:
            total += self.weight[tag]
            cum.append(total)
        return tags, cum

    def pool(self, parents):
        key = tuple(parents)
        if key not in self._pools:
            self._pools[key] = self._pool([c for p in parents for c in self.children[p]])
        return self._pools[key]

    def draw(self, rng, pool):
        tags, cum = pool
        return rng.choices(tags, cum_weights=cum)[0]

    def related(self, a, b):
        """True when a and b are the same tag or one is the other's parent."""
        return a == b or self.parent_of.get(a) == b or self.parent_of.get(b) == a

    def sample(self, rng, count, parents, local_share, avoid=(), parent_share=0.0):
        """count distinct tags, each from the parents' pool with probability
        local_share (else from the whole vocabulary), none related to avoid;
        with probability parent_share a tag is replaced by its parent."""
        local = self.pool(parents) if parents else self._global
        chosen = []
        for _ in range(count * 20):
            if len(chosen) == count:
                break
            tag = self.draw(rng, local if rng.random() < local_share else self._global)
            if parent_share and rng.random() < parent_share:
                tag = self.parent_of[tag]
            if any(self.related(tag, t) for t in chosen) or any(self.related(tag, t) for t in avoid):
                continue
            chosen.append(tag)
        return chosen

    def yaml(self):
        out = ["# Controlled vocabulary of offer/need tags (generated by benches/gen_catalogue.py).\n"]
        for parent, parent_en, kids in VOCABULARY:
            out.append(f"{parent}:\n  label: {ys(self.label(parent))}\n  label_en: {ys(parent_en)}\n"
                       f"  children: {ylist(self.children[parent])}\n")
            for kid in self.children[parent]:
                out.append(f"{kid}:\n  label: {ys(self.label(kid))}\n  label_en: {ys(self.label_en[kid])}\n")
                if kid in self.synonyms:
                    out.append(f"  synonyms: {ylist(self.synonyms[kid])}\n")
        for slug, label, label_en in self.extra:
            out.append(f"{slug}:\n  label: {ys(label)}\n  label_en: {ys(label_en)}\n")
        return "".join(out)


# --------------------------------------------------------------------------
# Firms.

def firm_kind(rng):
    r = rng.random()
    if r < 0.85:
        return "ikm"
    if r < 0.90:
        return "industry"
    return INSTITUTIONS[int((r - 0.90) / 0.02) % len(INSTITUTIONS)]


def firm_name(rng, kind, sector):
    if kind == "ikm":
        legal = rng.choice(["CV", "UD", "PD", "IKM"])
        first = rng.choice(SECTOR_WORD[sector]) if rng.random() < 0.4 else rng.choice(NAME_A)
        return f"{legal} {first} {rng.choice(NAME_B)}"
    if kind == "industry":
        return f"PT {rng.choice(NAME_A)} {rng.choice(SECTOR_WORD[sector])} {rng.choice(NAME_B)}"
    heads, tails = INSTITUTION_NAMES[kind]
    return f"{rng.choice(heads)} {rng.choice(NAME_B)} {rng.choice(tails)} Cimahi"


def sentence(rng, lo=8, hi=14):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    words[0] = words[0].capitalize()
    if rng.random() < 0.15:
        k = rng.randrange(1, len(words))
        words[k] = f"**{words[k]}**"
    return " ".join(words) + "."


def paragraph(rng, lo=3, hi=5):
    return " ".join(sentence(rng) for _ in range(rng.randint(lo, hi)))


def firm_body(rng, name, vocab, offers):
    first = paragraph(rng, 2, 4)
    parts = [f"{name} {first[0].lower()}{first[1:]}"]
    for _ in range(rng.randint(1, 2)):
        parts.append(paragraph(rng))
    parts.append("## Keunggulan kami")
    items = [f"- {sentence(rng, 3, 7)}" for _ in range(rng.randint(3, 5))]
    items.append(f"- Melayani: {', '.join(vocab.label(t).lower() for t in offers)}")
    parts.append("\n".join(items))
    parts.append(paragraph(rng, 1, 3) + " " + rng.choice(CLOSINGS))
    return "\n\n".join(parts) + "\n"


def summary_text(rng, kind, sector, offers, vocab, place):
    things = ", ".join(vocab.label(t).lower() for t in offers[:3])
    if kind in ("ikm", "industry"):
        lead = rng.choice(["Produsen", "Pembuat", "Penyedia", "Rumah produksi"])
        text = f"{lead} {things} dari {place}, Cimahi"
    else:
        text = f"Layanan {things} bagi IKM di {place}, Cimahi"
    if len(text) > 160:
        text = text[:157].rsplit(" ", 1)[0].rstrip(",") + "..."
    return text


def price_for(rng, base):
    if not base:
        return None
    low = max(500, int(base * rng.uniform(0.6, 1.4)) // 500 * 500)
    if rng.random() < 0.3:
        return {"min": low, "max": low + max(500, int(low * rng.uniform(0.2, 1.0)) // 500 * 500)}
    return low


def make_products(rng, firm, vocab, count):
    key = firm["sector"] if firm["kind"] in ("ikm", "industry") else firm["kind"]
    bases, variants = PRODUCTS[key]
    products, used = [], set()
    for _ in range(count):
        for _ in range(10):
            base, category, unit, price = rng.choice(bases)
            name = f"{base} {rng.choice(variants)}" if rng.random() < 0.8 else base
            if slugify(name) not in used:
                break
        copy = 2
        while slugify(name) in used:
            name = f"{base} {rng.choice(variants)} {copy}"
            copy += 1
        slug = slugify(name)
        used.add(slug)
        product = {"slug": slug, "name": name, "category": category}
        p = price_for(rng, price)
        if p is not None:
            product["price"] = p
            if unit:
                product["unit"] = unit
        if unit and rng.random() < 0.5:
            product["moq"] = rng.randint(1, 100)
        if unit and rng.random() < 0.5:
            product["capacity"] = f"{rng.randint(1, 50) * 10} {unit}/bulan"
        if key in MATERIAL_POOLS:
            k = rng.choice([0, 1, 1, 2])
            if k:
                product["materials"] = vocab.sample(rng, k, MATERIAL_POOLS[key], 0.85)
        if rng.random() < 0.4:
            product["tags"] = sorted(rng.sample(FREE_TAGS, rng.randint(1, 2)))
        certs = [c for c in firm.get("certifications", []) if rng.random() < 0.6]
        if certs:
            product["certifications"] = certs
        product["body"] = paragraph(rng, 2, 4) + "\n\n" + "\n".join(
            f"- {sentence(rng, 3, 6)}" for _ in range(rng.randint(2, 4))) + "\n"
        products.append(product)
    return products


def instagram_handle(slug, index):
    """Letters, digits and _, at most 30 characters (Instagram's own limit)."""
    handle = slug.replace("-", "_")
    if len(handle) > 30:
        number = str(index)
        handle = handle[:29 - len(number)].rstrip("_") + "_" + number
    return handle


def make_firm(index, seed, width, vocab, slugs, products_per_firm):
    """Firm number index; slugs holds the slugs of firms 0..index-1."""
    rng = random.Random(f"{seed}:firm:{index}")
    kind = firm_kind(rng)
    sector = rng.choice(SECTORS) if kind in ("ikm", "industry") else None
    name = firm_name(rng, kind, sector)
    slug = f"{slugify(name)}-{index:0{width}d}"
    district = rng.choice(DISTRICT_NAMES)
    firm = {"index": index, "slug": slug, "name": name, "kind": kind}
    if sector:
        firm["sector"] = sector
        firm["scale"] = "besar" if kind == "industry" else ("kecil" if rng.random() < 0.7 else "menengah")
    firm["district"] = district
    if rng.random() < 0.9:
        firm["subdistrict"] = rng.choice(DISTRICTS[district])
    place = firm.get("subdistrict", district)
    if rng.random() < 0.8:
        firm["address"] = f"{rng.choice(STREETS)} No. {rng.randint(1, 250)}"
    if rng.random() < 0.8:
        firm["founded"] = rng.randint(1970, 2024)
    if sector:
        lo, hi = {"kecil": (1, 19), "menengah": (20, 99), "besar": (100, 1500)}[firm["scale"]]
        firm["employees"] = rng.randint(lo, hi)
    elif rng.random() < 0.5:
        firm["employees"] = rng.randint(5, 300)
    contact = {}
    if rng.random() < 0.7:
        contact["phone"] = f"+62 22 66{rng.randint(10000, 99999)}"
    if rng.random() < 0.6:
        contact["whatsapp"] = f"+628{rng.randint(1000000000, 9999999999)}"
    if rng.random() < 0.5:
        contact["email"] = f"halo@{slug}.example"
    if rng.random() < 0.4:
        contact["website"] = f"https://{slug}.example"
    if rng.random() < 0.5:
        contact["instagram"] = instagram_handle(slug, index)
    if contact:
        firm["contact"] = contact
    if kind == "ikm":
        firm["certifications"] = [c for c in CERTIFICATIONS if rng.random() < 0.3]
        firm["markets"] = [m for m, p in zip(MARKETS, (0.95, 0.4, 0.08)) if rng.random() < p] or ["lokal"]
    elif kind == "industry":
        firm["certifications"] = [c for c in CERTIFICATIONS if rng.random() < 0.6]
        firm["markets"] = [m for m, p in zip(MARKETS, (0.9, 0.8, 0.4)) if rng.random() < p] or ["nasional"]
    if not firm.get("certifications", True):
        del firm["certifications"]
    pool_key = sector or kind
    offers = vocab.sample(rng, rng.randint(2, 4), OFFER_POOLS[pool_key], 0.9)
    needs = vocab.sample(rng, rng.randint(2, 4), NEED_POOLS[pool_key], 0.6, avoid=offers, parent_share=0.1)
    firm["offers"], firm["needs"] = offers, needs
    if sector:
        firm["cooperation"] = sorted(rng.sample(COOPERATION[:5], rng.randint(1, 3)), key=COOPERATION.index)
    else:
        firm["cooperation"] = list(COOPERATION_BY_KIND[kind])
    if index and rng.random() < 0.2:
        picks = sorted({rng.randrange(index) for _ in range(rng.randint(1, 2))})
        firm["partners"] = [slugs[p] for p in picks]
    if index > 1 and rng.random() < 0.01:
        other = slugs[rng.randrange(index)]
        if other not in firm.get("partners", []):
            firm["exclude_partners"] = [other]
    firm["updated"] = f"{rng.randint(2024, 2026)}-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
    firm["summary"] = summary_text(rng, kind, sector, offers, vocab, place)
    if rng.random() < 0.3:
        firm["summary_en"] = f"{name}: {', '.join(vocab.label_en[t].lower() for t in offers[:3])} from Cimahi"
    firm["body"] = firm_body(rng, name, vocab, offers)
    firm["products"] = make_products(rng, firm, vocab, products_per_firm)
    return firm


# --------------------------------------------------------------------------
# Planted mutual pairs (known answers for the partner matcher).

def plant_pairs(firms, vocab, pairs, seed):
    """Rewrite a few firms so that, for each pair i, A_i and B_i each hold the
    only offer of what the other needs, and three decoys in A's kelurahan,
    with a PP 29/2018 scale linkage to A and A's cooperation modes, offer only
    the most common tag A needs (one-way matches that look attractive)."""
    rng = random.Random(f"{seed}:plant")
    ikm = [f for f in firms if f["kind"] == "ikm"]
    industry = [f for f in firms if f["kind"] == "industry"]
    if len(ikm) < 5 * pairs:
        sys.exit(f"--plant-pairs {pairs} needs at least {5 * pairs} IKM firms; raise --firms")
    taken = set()

    def pick(pool, test=lambda f: True):
        candidates = [f for f in pool if f["index"] not in taken and test(f)]
        if not candidates:
            return None
        chosen = rng.choice(candidates)
        taken.add(chosen["index"])
        return chosen

    common = vocab.by_popularity[0]
    planted = []
    for i in range(1, pairs + 1):
        tag_a, tag_b = f"langka-a-{i}", f"langka-b-{i}"
        vocab.extra.append((tag_a, f"Bahan langka A {i}", f"Rare input A {i}"))
        vocab.extra.append((tag_b, f"Bahan langka B {i}", f"Rare input B {i}"))
        a = pick(ikm)
        b = pick(ikm, lambda f: f["district"] != a["district"])
        a["scale"] = b["scale"] = "kecil"
        a["employees"], b["employees"] = min(a["employees"], 19), min(b["employees"], 19)
        if "subdistrict" not in a:
            a["subdistrict"] = DISTRICTS[a["district"]][0]
        # A: offers only tag_b; needs tag_a and the most common tag, and its
        # products name no materials (implicit needs), so that the decoys'
        # only rivals are the other suppliers of the common tag.
        a["offers"] = [tag_b]
        a["needs"] = [tag_a, common]
        for product in a["products"]:
            product.pop("materials", None)
        # B: offers tag_a (plus its own), needs tag_b (plus its own);
        # nothing that A offers or the decoys offer, and no cooperation mode
        # in common with A, so only mutual benefit speaks for B.
        b["offers"] = [tag_a] + [t for t in b["offers"] if not vocab.related(t, common)][:2]
        b["needs"] = [tag_b] + [t for t in b["needs"] if t not in b["offers"]][:2]
        a["cooperation"] = ["pemasok", "subkontrak"]
        b["cooperation"] = ["distribusi", "waralaba"]
        decoys = []
        for kind, scale in (("ikm", "menengah"), ("ikm", "menengah"), ("industry", "besar")):
            d = pick(industry) if kind == "industry" else None
            d = d or pick(ikm)
            d["kind"], d["scale"] = kind, scale
            lo, hi = (20, 99) if scale == "menengah" else (100, 1500)
            d["employees"] = min(max(d.get("employees", lo), lo), hi)
            if kind == "industry":
                d["markets"] = d.get("markets") or ["nasional"]
            d["district"], d["subdistrict"] = a["district"], a["subdistrict"]
            d["offers"] = [common]
            d["needs"] = [t for t in d["needs"] if not vocab.related(t, common)] or [vocab.by_popularity[1]]
            d["cooperation"] = list(a["cooperation"])
            decoys.append(d)
        planted.append({"a": a, "b": b, "decoys": decoys, "tag_a": tag_a, "tag_b": tag_b})
    # No planted firm may name another planted firm of its pair as an existing
    # or excluded partner (that would take it off the suggestion list).
    for p in planted:
        group = {f["slug"] for f in [p["a"], p["b"]] + p["decoys"]}
        for f in [p["a"], p["b"]] + p["decoys"]:
            for key in ("partners", "exclude_partners"):
                if key in f:
                    f[key] = [s for s in f[key] if s not in group]
                    if not f[key]:
                        del f[key]
    # Re-derive summaries for rewritten firms so that they stay truthful.
    for p in planted:
        for f in [p["a"], p["b"]] + p["decoys"]:
            place = f.get("subdistrict", f["district"])
            f["summary"] = summary_text(rng, f["kind"], f.get("sector"), f["offers"], vocab, place)
            f.pop("summary_en", None)
    return {
        "seed": seed,
        "common_tag": common,
        "expect": "for each pair, b is the first suggestion of a and a the first of b; "
                  "every decoy ranks below b on a's list",
        "pairs": [{
            "a": p["a"]["slug"], "b": p["b"]["slug"], "tag_a": p["tag_a"], "tag_b": p["tag_b"],
            "a_district": p["a"]["district"], "b_district": p["b"]["district"],
            "a_subdistrict": p["a"]["subdistrict"],
            "decoys": [{"slug": d["slug"], "kind": d["kind"], "scale": d["scale"]} for d in p["decoys"]],
        } for p in planted],
    }


# --------------------------------------------------------------------------
# Writing the gotong site.

PROFILE_ORDER = ["name", "kind", "sector", "scale", "district", "subdistrict", "summary", "summary_en",
                 "address", "founded", "employees", "contact", "certifications", "markets", "offers",
                 "needs", "cooperation", "partners", "exclude_partners", "logo", "updated"]
CONTACT_ORDER = ["phone", "whatsapp", "email", "website", "instagram"]
LIST_KEYS = {"certifications", "markets", "offers", "needs", "cooperation", "partners", "exclude_partners",
             "materials", "tags", "images"}


def yaml_fields(record, order):
    lines = []
    for key in order:
        if key not in record:
            continue
        value = record[key]
        if key == "contact":
            lines.append("contact:")
            lines.extend(f"  {k}: {ys(value[k])}" for k in CONTACT_ORDER if k in value)
        elif key in LIST_KEYS:
            lines.append(f"{key}: {ylist(value)}")
        elif isinstance(value, dict):
            lines.append(f"{key}: {{min: {value['min']}, max: {value['max']}}}")
        elif isinstance(value, int):
            lines.append(f"{key}: {value}")
        elif key == "updated":
            lines.append(f"{key}: {value}")
        else:
            lines.append(f"{key}: {ys(value)}")
    return "\n".join(lines) + "\n"


PRODUCT_ORDER = ["name", "category", "price", "unit", "moq", "capacity", "materials", "tags",
                 "certifications", "images"]


def write(path, text):
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def write_bytes(path, data):
    with open(path, "wb") as f:
        f.write(data)


def write_site_files(out):
    write(os.path.join(out, "site.yaml"),
          "title: Katalog IKM Kota Cimahi (bench)\nbase_url: https://bench.example\nlanguage: id\npaginate: 24\n")
    content = os.path.join(out, "content")
    os.makedirs(os.path.join(content, "pages"), exist_ok=True)
    os.makedirs(os.path.join(content, "firms"), exist_ok=True)
    write(os.path.join(content, "_index.md"), HOME_TEXT)
    write(os.path.join(content, "pages", "tentang.md"), f"---\ntitle: Tentang katalog\n---\n{ABOUT_TEXT}")


HOME_TEXT = ("Selamat datang di **katalog IKM Kota Cimahi**: makanan-minuman, tekstil, kerajinan dan telematika.\n\n"
             "Katalog ini dibuat untuk uji kecepatan; semua usaha di dalamnya fiktif.\n")
ABOUT_TEXT = ("Katalog ini mempertemukan IKM dengan mitra yang saling membutuhkan dan saling menguntungkan, "
              "sesuai PP 29/2018.\n\n- Temu usaha\n- Bantuan proposal dan kontrak\n- Profil perusahaan\n")


def write_firm(content, firm, images):
    folder = os.path.join(content, "firms", firm["slug"])
    os.makedirs(os.path.join(folder, "products"))
    write(os.path.join(folder, "profile.yaml"), yaml_fields(firm, PROFILE_ORDER))
    write(os.path.join(folder, "index.md"), firm["body"])
    for product in firm["products"]:
        write(os.path.join(folder, "products", product["slug"] + ".md"),
              "---\n" + yaml_fields(product, PRODUCT_ORDER) + "---\n" + product["body"])
    for name, data in images.items():
        write_bytes(os.path.join(folder, name), data)


# --------------------------------------------------------------------------
# The Hugo twin: same firms, same pages, Hugo's conventions.

HUGO_CONFIG = """baseURL = 'https://bench.example/'
locale = 'id'
defaultContentLanguage = 'id'
title = 'Katalog IKM Kota Cimahi (bench)'
enableRobotsTXT = true

[pagination]
  pagerSize = 24

[taxonomies]
  sektor = 'sektor'
  kecamatan = 'kecamatan'
  skala = 'skala'
  kategori = 'kategori'

[outputs]
  home = ['html', 'rss']
  section = ['html']
  taxonomy = ['html']
  term = ['html']
  page = ['html']

[services.rss]
  limit = 20
"""

HUGO_LAYOUTS = {
    "baseof.html": """<!DOCTYPE html>
<html lang="{{ site.Language.Locale }}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ if .IsHome }}{{ site.Title }}{{ else }}{{ .Title }} | {{ site.Title }}{{ end }}</title>
<meta name="description" content="{{ with .Params.summary }}{{ . }}{{ else }}{{ site.Title }}{{ end }}">
<link rel="canonical" href="{{ .Permalink }}">
</head>
<body>
<header><a href="{{ site.Home.RelPermalink }}">{{ site.Title }}</a>
<nav>{{ range $name, $_ := site.Taxonomies }}<a href="{{ (site.GetPage $name).RelPermalink }}">{{ $name }}</a> {{ end }}<a href="/cari/">cari</a></nav></header>
<main>{{ block "main" . }}{{ end }}</main>
<footer>{{ site.Title }}</footer>
</body>
</html>
""",
    "home.html": """{{ define "main" }}
<h1>{{ site.Title }}</h1>
{{ .Content }}
{{ range $name, $terms := site.Taxonomies }}{{ if in (slice "sektor" "kecamatan") $name }}
<h2>{{ $name }}</h2>
<ul>{{ range $terms.ByCount }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}{{ end }}
<h2>Usaha terbaru</h2>
<ul>{{ range first 10 (site.GetPage "/usaha").Sections.ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Params.summary }}</li>{{ end }}</ul>
{{ end }}
""",
    # A firm is a branch bundle: its section page is the profile.
    "list.html": """{{ define "main" }}
{{ $p := .Params }}
<article>
<h1>{{ .Title }}</h1>
{{ with .Resources.GetMatch "logo.png" }}{{ $t := .Resize "160x" }}<img src="{{ $t.RelPermalink }}" width="{{ $t.Width }}" height="{{ $t.Height }}" alt="logo">{{ end }}
<p>{{ $p.summary }}</p>
<dl>
<dt>Jenis</dt><dd>{{ $p.kind }}</dd>
{{ with $p.sector }}<dt>Sektor</dt><dd><a href="/sektor/{{ . }}/">{{ . }}</a></dd>{{ end }}
{{ with $p.scale }}<dt>Skala</dt><dd><a href="/skala/{{ . }}/">{{ . }}</a></dd>{{ end }}
<dt>Kecamatan</dt><dd><a href="/kecamatan/{{ urlize $p.district }}/">{{ $p.district }}</a>{{ with $p.subdistrict }}, {{ . }}{{ end }}</dd>
{{ with $p.address }}<dt>Alamat</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.founded }}<dt>Berdiri</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.employees }}<dt>Karyawan</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.certifications }}<dt>Sertifikasi</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.markets }}<dt>Pasar</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
<dt>Menawarkan</dt><dd>{{ delimit $p.offers ", " }}</dd>
<dt>Membutuhkan</dt><dd>{{ delimit $p.needs ", " }}</dd>
{{ with $p.cooperation }}<dt>Kerja sama</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
</dl>
{{ with $p.contact }}<h2>Kontak</h2><ul>
{{ with .phone }}<li>{{ . }}</li>{{ end }}
{{ with .whatsapp }}<li><a href="https://wa.me/{{ strings.TrimPrefix "+" . }}">WhatsApp</a></li>{{ end }}
{{ with .email }}<li><a href="mailto:{{ . }}">{{ . }}</a></li>{{ end }}
{{ with .website }}<li><a href="{{ . }}">{{ . }}</a></li>{{ end }}
{{ with .instagram }}<li>@{{ . }}</li>{{ end }}
</ul>{{ end }}
{{ .Content }}
<h2>Produk</h2>
<ul>{{ range where .RegularPages "Params.role" "produk" }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ .Params.category }})</li>{{ end }}</ul>
<p><a href="{{ .RelPermalink }}mitra/">Calon mitra</a></p>
{{ with $p.partners }}<h2>Mitra</h2><ul>{{ range . }}{{ with site.GetPage (printf "/usaha/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}
</article>
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "Organization" "name" .Title "url" .Permalink "description" $p.summary | jsonify | safeJS }}</script>
{{ end }}
""",
    "single.html": """{{ define "main" }}
{{ $p := .Params }}
{{ if eq $p.role "produk" }}
<article>
<h1>{{ .Title }}</h1>
<p>oleh <a href="{{ .Parent.RelPermalink }}">{{ .Parent.Title }}</a></p>
{{ range .Resources.ByType "image" }}{{ $t := .Resize "320x" }}<img src="{{ $t.RelPermalink }}" width="{{ $t.Width }}" height="{{ $t.Height }}" alt="">{{ end }}
<dl>
<dt>Kategori</dt><dd><a href="/kategori/{{ $p.category }}/">{{ $p.category }}</a></dd>
{{ with $p.price }}<dt>Harga</dt><dd>{{ if reflect.IsMap . }}Rp {{ lang.FormatNumber 0 .min }} - {{ lang.FormatNumber 0 .max }}{{ else }}Rp {{ lang.FormatNumber 0 . }}{{ end }}{{ with $p.unit }} / {{ . }}{{ end }}</dd>{{ end }}
{{ with $p.moq }}<dt>Pesanan minimum</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.capacity }}<dt>Kapasitas</dt><dd>{{ . }}</dd>{{ end }}
{{ with $p.materials }}<dt>Bahan</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.tags }}<dt>Label</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
{{ with $p.certifications }}<dt>Sertifikasi</dt><dd>{{ delimit . ", " }}</dd>{{ end }}
</dl>
{{ .Content }}
</article>
<script type="application/ld+json">{{ dict "@context" "https://schema.org" "@type" "Product" "name" .Title "url" .Permalink "category" $p.category | jsonify | safeJS }}</script>
{{ else if eq $p.role "mitra" }}
{{ $f := .Parent }}
<h1>{{ .Title }}</h1>
<p>Untuk <a href="{{ $f.RelPermalink }}">{{ $f.Title }}</a>, {{ $f.Params.district }}.</p>
<h2>Membutuhkan</h2><ul>{{ range $f.Params.needs }}<li>{{ . }}</li>{{ end }}</ul>
<h2>Menawarkan</h2><ul>{{ range $f.Params.offers }}<li>{{ . }}</li>{{ end }}</ul>
{{ with $f.Params.partners }}<h2>Mitra saat ini</h2><ul>{{ range . }}{{ with site.GetPage (printf "/usaha/%s" .) }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>: {{ .Params.summary }}</li>{{ end }}{{ end }}</ul>{{ end }}
{{ else }}
<h1>{{ .Title }}</h1>
{{ .Content }}
{{ end }}
{{ end }}
""",
    "taxonomy.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>
{{ end }}
""",
    "term.html": """{{ define "main" }}
<h1>{{ .Title }}</h1>
{{ $pager := .Paginate .Pages.ByTitle }}
<ul>{{ range $pager.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ with .Params.summary }}: {{ . }}{{ end }}</li>{{ end }}</ul>
<nav>{{ with $pager.Prev }}<a href="{{ .URL }}">sebelumnya</a>{{ end }} {{ $pager.PageNumber }}/{{ $pager.TotalPages }} {{ with $pager.Next }}<a href="{{ .URL }}">berikutnya</a>{{ end }}</nav>
{{ end }}
""",
    "404.html": """{{ define "main" }}<h1>Halaman tidak ditemukan</h1><p><a href="/">Kembali</a></p>{{ end }}
""",
}


def write_hugo_site(hugo):
    os.makedirs(os.path.join(hugo, "layouts"), exist_ok=True)
    os.makedirs(os.path.join(hugo, "content", "usaha"), exist_ok=True)
    write(os.path.join(hugo, "hugo.toml"), HUGO_CONFIG)
    for name, text in HUGO_LAYOUTS.items():
        write(os.path.join(hugo, "layouts", name), text)
    content = os.path.join(hugo, "content")
    write(os.path.join(content, "_index.md"), "---\ntitle: Beranda\n---\n" + HOME_TEXT)
    write(os.path.join(content, "tentang.md"), "---\ntitle: Tentang katalog\n---\n" + ABOUT_TEXT)
    write(os.path.join(content, "cari.md"), "---\ntitle: Cari\n---\nCari usaha dan produk.\n")
    # The firms' parent section is not a page of gotong's: not rendered.
    write(os.path.join(content, "usaha", "_index.md"), "---\ntitle: Usaha\nbuild:\n  render: never\n---\n")


def yaml_value(key, value):
    if key == "contact":
        return [(k, ys(value[k])) for k in CONTACT_ORDER if k in value]
    if key in LIST_KEYS:
        return ylist(value)
    if isinstance(value, dict):
        return f"{{min: {value['min']}, max: {value['max']}}}"
    if isinstance(value, int):
        return str(value)
    return ys(value)


def write_hugo_firm(hugo, firm, images):
    folder = os.path.join(hugo, "content", "usaha", firm["slug"])
    os.makedirs(folder)
    params = [(k, yaml_value(k, firm[k])) for k in PROFILE_ORDER if k in firm and k not in ("name", "updated", "logo")]
    fields = [("title", ys(firm["name"])), ("date", firm["updated"]),
              ("kecamatan", ylist([firm["district"]]))]
    if "sector" in firm:
        fields += [("sektor", ylist([firm["sector"]])), ("skala", ylist([firm["scale"]]))]
    write(os.path.join(folder, "_index.md"), hugo_doc(fields, [("role", "firm")] + params, firm["body"]))
    write(os.path.join(folder, "mitra.md"),
          hugo_doc([("title", ys("Calon mitra " + firm["name"]))], [("role", "mitra")], ""))
    if "logo.png" in images:
        write_bytes(os.path.join(folder, "logo.png"), images["logo.png"])
    for product in firm["products"]:
        pfolder = os.path.join(folder, "produk", product["slug"])
        os.makedirs(pfolder)
        pparams = [(k, yaml_value(k, product[k])) for k in PRODUCT_ORDER if k in product and k not in ("name", "images")]
        write(os.path.join(pfolder, "index.md"),
              hugo_doc([("title", ys(product["name"])), ("kategori", ylist([product["category"]]))],
                        [("role", "produk")] + pparams, product["body"]))
        for name in product.get("images", []):
            write_bytes(os.path.join(pfolder, name), images[name])


def hugo_doc(fields, params, body):
    lines = ["---"]
    lines.extend(f"{k}: {v}" for k, v in fields)
    lines.append("params:")
    for k, v in params:
        if isinstance(v, list):
            lines.append(f"  {k}:")
            lines.extend(f"    {a}: {b}" for a, b in v)
        else:
            lines.append(f"  {k}: {v}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


# --------------------------------------------------------------------------

MARKER = ".gotong-bench"


def prepare_dir(path, force):
    if os.path.exists(path) and os.listdir(path):
        if not force:
            sys.exit(f"{path} is not empty (use --force to replace a folder this script generated)")
        if not os.path.exists(os.path.join(path, MARKER)):
            sys.exit(f"{path} was not generated by this script ({MARKER} missing); refusing to delete it")
        shutil.rmtree(path)
    os.makedirs(path, exist_ok=True)
    write(os.path.join(path, MARKER), "generated by benches/gen_catalogue.py; safe to delete\n")


def write_event(content, spec, slugs, ap):
    """content/events/temu-bench.yaml: P participants, S slots, T tables."""
    try:
        p, slots, tables = (int(x) for x in spec.split(":"))
    except ValueError:
        ap.error("--event takes P:S:T, e.g. 10000:16:400")
    if p < 2 or slots < 1 or tables < 1:
        ap.error("--event: at least 2 participants, 1 slot and 1 table")
    first = (slots + 1) // 2
    sessions = []
    for start_hour, n in ((8, first), (13, slots - first)):
        if n:
            end = start_hour * 60 + 20 * n
            sessions.append(f'  - {{start: "{start_hour:02}:00", end: "{end // 60:02}:{end % 60:02}"}}')
    participants = "all" if p >= len(slugs) else "[" + ", ".join(slugs[:p]) + "]"
    text = (
        "name: Temu Usaha Uji Beban\n"
        "date: 2027-03-10\n"
        "venue: Gedung Technopark, Jl. Baros No. 1\n"
        "sessions:\n" + "\n".join(sessions) + "\n"
        "meeting_minutes: 20\n"
        f"tables: {tables}\n"
        f"participants: {participants}\n"
    )
    os.makedirs(os.path.join(content, "events"), exist_ok=True)
    write(os.path.join(content, "events", "temu-bench.yaml"), text)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--firms", type=int, required=True, help="number of firms and institutions")
    ap.add_argument("--products", type=int, default=5, help="products per firm (default 5)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--images", type=int, default=0, metavar="K",
                    help="the first K firms get a logo.png and a PNG per product")
    ap.add_argument("--plant-pairs", type=int, default=0, metavar="P",
                    help="plant P mutual pairs with decoys; written to OUT_DIR/planted.json")
    ap.add_argument("--event", metavar="P:S:T",
                    help="a business meeting (content/events/temu-bench.yaml) for the first P firms, "
                         "S slots of 20 minutes in two sessions, T tables")
    ap.add_argument("--hugo", metavar="DIR", help="also write an equivalent Hugo site into DIR")
    ap.add_argument("--force", action="store_true", help="replace an earlier generated OUT_DIR / DIR")
    ap.add_argument("out", metavar="OUT_DIR")
    args = ap.parse_args(argv)
    if args.firms < 1 or args.products < 0 or args.images < 0 or args.plant_pairs < 0:
        ap.error("counts must be positive")

    vocab = Vocabulary(args.seed)
    width = max(5, len(str(args.firms - 1)))
    firms, slugs = [], []
    for i in range(args.firms):
        firm = make_firm(i, args.seed, width, vocab, slugs, args.products)
        firms.append(firm)
        slugs.append(firm["slug"])
    planted = plant_pairs(firms, vocab, args.plant_pairs, args.seed) if args.plant_pairs else None

    prepare_dir(args.out, args.force)
    write_site_files(args.out)
    content = os.path.join(args.out, "content")
    write(os.path.join(content, "vocabulary.yaml"), vocab.yaml())
    if planted:
        write(os.path.join(args.out, "planted.json"), json.dumps(planted, indent=2) + "\n")
    if args.hugo:
        prepare_dir(args.hugo, args.force)
        write_hugo_site(args.hugo)

    for firm in firms:
        images = {}
        if firm["index"] < args.images:
            rng = random.Random(f"{args.seed}:image:{firm['index']}")
            images["logo.png"] = random_png(rng, 200, 200)
            firm["logo"] = "logo.png"
            for product in firm["products"]:
                name = f"foto-{product['slug']}.png"
                images[name] = random_png(rng, 640, 480)
                product["images"] = [name]
        write_firm(content, firm, images)
        if args.hugo:
            write_hugo_firm(args.hugo, firm, images)

    if args.event:
        write_event(content, args.event, slugs, ap)

    kinds = {}
    for firm in firms:
        kinds[firm["kind"]] = kinds.get(firm["kind"], 0) + 1
    print(f"wrote {len(firms)} firms, {len(firms) * args.products} products into {args.out} "
          f"({', '.join(f'{k} {v}' for k, v in sorted(kinds.items()))})", file=sys.stderr)


if __name__ == "__main__":
    main()
