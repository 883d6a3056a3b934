#!/usr/bin/env python3
"""Broken variants of the sample catalogue, as an outside tester makes them.

Each case copies the sample site, builds it, breaks one thing, builds again
with --strict and checks: exit status 1 (never a panic or a hang), an error
naming the right file (and line and column where the file has them), and
public/ byte for byte as before.

    tests/broken/mutations.py [-v] [--bin target/debug/gotong]

Exit status 1 when any case fails.
"""
import concurrent.futures, os, shutil, subprocess, sys, re, tempfile
HERE = os.path.dirname(os.path.abspath(__file__))
SRC = os.path.dirname(os.path.dirname(HERE))
BIN = sys.argv[sys.argv.index('--bin') + 1] if '--bin' in sys.argv else os.path.join(SRC, 'target/debug/gotong')
# In memory where the machine has it: every case copies the built site
# (a few thousand files), and on a VM disk creating files just after
# deleting as many is slow (docs/performance.md).
shm = '/dev/shm' if os.path.isdir('/dev/shm') and os.access('/dev/shm', os.W_OK) else None
work = tempfile.mkdtemp(prefix='gotong-broken-', dir=shm)
base = os.path.join(work, 'base')
os.makedirs(base)
shutil.copy(f'{SRC}/site.yaml', base)
shutil.copytree(f'{SRC}/content', f'{base}/content')
r=subprocess.run([BIN,'build','--root',base],capture_output=True,text=True)
assert r.returncode==0, r.stderr
P='content/firms/rasi-cireundeu/profile.yaml'
PR='content/firms/rasi-cireundeu/products/rasi.md'
def rd(root,rel): return open(os.path.join(root,rel),encoding='utf-8',errors='replace').read()
def wr(root,rel,t):
    p=os.path.join(root,rel); os.makedirs(os.path.dirname(p),exist_ok=True)
    open(p,'w' if isinstance(t,str) else 'wb').write(t)
def sub(rel, old, new, count=1):
    def f(root):
        t=rd(root,rel); assert old in t, (rel, old); wr(root,rel,t.replace(old,new,count))
    return f
def app(rel, text):
    def f(root): wr(root,rel,rd(root,rel)+text)
    return f
def put(rel, text):
    def f(root): wr(root,rel,text)
    return f
def rm(rel):
    def f(root): os.remove(os.path.join(root,rel))
    return f
def regex(rel, pat, new):
    def f(root):
        t=rd(root,rel); t2=re.sub(pat,new,t,count=1,flags=re.M); assert t2!=t,(rel,pat); wr(root,rel,t2)
    return f
cases = [
 ('no name', regex(P,r'^name:.*\n',''), P, True),
 ('bad kind', app(P,'kind: koperasi\n'), P, True),
 ('bad sector', regex(P,r'^sector:.*$','sector: pangan'), P, True),
 ('bad scale', regex(P,r'^scale:.*$','scale: mikro'), P, True),
 ('ikm besar', regex(P,r'^scale:.*$','scale: besar'), P, True),
 ('bad district', regex(P,r'^district:.*$','district: Bandung'), P, True),
 ('kel other district', regex(P,r'^subdistrict:.*$','subdistrict: Cibabat'), P, True),
 ('long summary', regex(P,r'^summary:.*$','summary: '+'x'*200), P, True),
 ('founded 1800', regex(P,r'^founded:.*$','founded: 1800'), P, True),
 ('employees neg', regex(P,r'^employees:.*$','employees: -1'), P, True),
 ('email bad', regex(P,r'^contact:\n','contact:\n  email: bukan-email\n'), P, True),
 ('website ftp', regex(P,r'^contact:\n','contact:\n  website: ftp://x.example\n'), P, True),
 ('instagram @', regex(P,r'^contact:\n','contact:\n  instagram: "@rasi"\n'), P, True),
 ('bad cert', regex(P,r'^certifications:.*$','certifications: [iso]'), P, True),
 ('bad market', regex(P,r'^markets:.*$','markets: [dunia]'), P, True),
 ('bad coop', regex(P,r'^cooperation:.*$','cooperation: [merger]'), P, True),
 ('unknown partner', app(P,'exclude_partners: [tidak-ada]\n'), P, True),
 ('self partner', app(P,'exclude_partners: [rasi-cireundeu]\n'), P, True),
 ('logo missing', regex(P,r'^logo:.*$','logo: hilang.png'), P, True),
 ('logo escape', regex(P,r'^logo:.*$','logo: ../../../site.yaml'), P, True),
 ('bad updated', regex(P,r'^updated:.*$','updated: 2026-13-40'), P, True),
 ('draft yes', app(P,'draft: ya\n'), P, True),
 ('unknown key', app(P,'telepon: 123\n'), P, True),
 ('duplicate key', app(P,'district: Cimahi Utara\n'), P, True),
 ('tab indent', regex(P,r'^contact:\n','contact:\n\tphone: 1\n'), P, True),
 ('yaml syntax', regex(P,r'^offers:.*$','offers: [a, b'), P, True),
 ('empty profile', put(P,''), P, True),
 ('profile list', put(P,'- a\n- b\n'), P, True),
 ('product no name', regex(PR,r'^name:.*\n',''), PR, True),
 ('product no category', regex(PR,r'^category:.*\n',''), PR, True),
 ('product bad category', regex(PR,r'^category:.*$','category: Makanan Pokok'), PR, True),
 ('price negative', regex(PR,r'^price:.*$','price: -5'), PR, True),
 ('price range', regex(PR,r'^price:.*$','price: {min: 5, max: 1}'), PR, True),
 ('price text', regex(PR,r'^price:.*$','price: murah'), PR, True),
 ('moq 0', regex(PR,r'^moq:.*$','moq: 0'), PR, True),
 ('product images missing', regex(PR,r'^images:.*$','images: [tidak.jpg]'), PR, True),
 ('materials unknown strict', regex(PR,r'^materials:.*$','materials: [bahan-asing]'), PR, True),
 ('unclosed fm', put(PR,'---\nname: x\ncategory: y\n'), PR, True),
 ('no fm', put(PR,'Hanya teks.\n'), PR, True),
 ('product unknown key', regex(PR,r'^---\n','---\nharga: 5\n'), PR, True),
 ('translation extra', put('content/firms/rasi-cireundeu/products/rasi.en.md','---\nname: Rasi\nprice: 5\n---\nx\n'), 'content/firms/rasi-cireundeu/products/rasi.en.md', True),
 ('bad lang name', put('content/firms/rasi-cireundeu/products/rasi.fr.md','---\nname: x\n---\n'), 'content/firms/rasi-cireundeu/products/rasi.fr.md', False),
 ('product slug upper', put('content/firms/rasi-cireundeu/products/Rasi-Baru.md','---\nname: x\ncategory: y\n---\n'), 'content/firms/rasi-cireundeu/products/Rasi-Baru.md', False),
 ('site no title', regex('site.yaml',r'^title:.*\n',''), 'site.yaml', True),
 ('site base_url', regex('site.yaml',r'^base_url:.*$','base_url: ikm.example'), 'site.yaml', True),
 ('site language', regex('site.yaml',r'^language:.*$','language: jv'), 'site.yaml', True),
 ('site paginate', regex('site.yaml',r'^paginate:.*$','paginate: 0'), 'site.yaml', True),
 ('site unknown', app('site.yaml','judul: x\n'), 'site.yaml', True),
 ('site theme', regex('site.yaml',r'^theme:.*$','theme: gelap'), 'site.yaml', True),
 ('site per_firm', regex('site.yaml',r'per_firm:.*$','per_firm: 1000'), 'site.yaml', True),
 ('site repo url', regex('site.yaml',r'^repo_edit_url:.*$','repo_edit_url: github.com/x'), 'site.yaml', True),
 ('vocab cycle', app('content/vocabulary.yaml','siklus-a:\n  label: A\n  children: [siklus-b]\nsiklus-b:\n  label: B\n  children: [siklus-a]\n'), 'content/vocabulary.yaml', True),
 ('vocab synonym tag', app('content/vocabulary.yaml','sinonim-x:\n  label: X\n  synonyms: [singkong]\n'), 'content/vocabulary.yaml', True),
 ('vocab unknown key', app('content/vocabulary.yaml','tag-baru:\n  lable: X\n'), 'content/vocabulary.yaml', True),
 ('vocab not map', put('content/vocabulary.yaml','- a\n- b\n'), 'content/vocabulary.yaml', True),
 ('page no title', put('content/pages/kosong.md','---\ndescription: x\n---\nTeks\n'), 'content/pages/kosong.md', True),
 ('page reserved', put('content/pages/usaha.md','---\ntitle: X\n---\n'), 'content/pages/usaha.md', False),
 ('page weight text', put('content/pages/berat.md','---\ntitle: X\nweight: berat\n---\n'), 'content/pages/berat.md', True),
 ('page broken link', put('content/pages/tautan.md','---\ntitle: X\n---\n\n[a](/hilang/)\n'), 'content/pages/tautan.md', True),
 ('page raw img', put('content/pages/gambar.md','---\ntitle: X\n---\n<img src="x">\n'), 'content/pages/gambar.md', True),
 ('page bad slug', put('content/pages/Halaman Baru.md','---\ntitle: X\n---\n'), 'content/pages/Halaman Baru.md', False),
 ('index fm', put('content/firms/rasi-cireundeu/index.md','---\nname: x\n---\nTeks\n'), 'content/firms/rasi-cireundeu/index.md', True),
 ('bad folder', put('content/firms/Rasi Baru/profile.yaml','name: x\n'), 'content/firms/Rasi Baru/', False),
 ('no profile', put('content/firms/kosong/index.md','Teks\n'), 'content/firms/kosong/', False),
 ('non utf8', put(P, b'name: \xff\xfe\n'), P, True),
 ('home unknown key', regex('content/_index.md',r'^---\n','---\njudul: x\n'), 'content/_index.md', True),
 ('broken link in desc', app('content/firms/rasi-cireundeu/index.md','\n[katalog](/usaha/tidak-ada/)\n'), 'content/firms/rasi-cireundeu/index.md', True),
 ('bad image bytes', put('content/firms/rasi-cireundeu/logo.png', b'\x89PNG\r\n\x1a\n' + b'\x00'*30), P, True),
 ('truncated image', lambda root: wr(root,'content/firms/rasi-cireundeu/foto-rasi.jpg', open(f'{SRC}/content/firms/rasi-cireundeu/foto-rasi.jpg','rb').read()[:400]), None, True),
 ('hostile yaml alias bomb', put(P, 'a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n'), P, True),
 ('deep nesting', put(P, '['*3000 + ']'*3000 + '\n'), P, True),
 ('tag unknown strict', regex(P,r'^needs:.*$','needs: [bahan-tidak-dikenal]'), P, True),
]
# Every diagnostic of every case: those with a line and column, and those
# without (which must be about a folder or a whole file that has no line).
def snapshot(root):
    return subprocess.run(f'cd {root}/public && find . -type f | sort | xargs md5sum',shell=True,capture_output=True,text=True).stdout
before=snapshot(base)
def run(i, case):
    """One case in its own copy of the built site; returns what to report."""
    name, edit, want_file, want_line = case
    root=os.path.join(work, f'case-{i}')
    shutil.copytree(base, root, symlinks=True)
    edit(root)
    try:
        r=subprocess.run([BIN,'build','--strict','--root',root],capture_output=True,text=True,timeout=60)
    except subprocess.TimeoutExpired:
        shutil.rmtree(root, ignore_errors=True)
        return ('HANG', name, None, False, [], [], 0)
    same = snapshot(root)==before
    shutil.rmtree(root, ignore_errors=True)
    errs=[l for l in r.stderr.splitlines() if ': error: ' in l and not l.startswith('error:')]
    with_pos=0; without=[]
    for l in r.stderr.splitlines():
        if (': error: ' in l or ': warning: ' in l) and not l.startswith(('error:', 'warning:')):
            if re.match(r'^[^:]+:\d+:\d+: (error|warning): ', l): with_pos+=1
            else: without.append((name, l))
    loc_ok = True
    if want_file:
        m=[e for e in errs if e.startswith(want_file+':') or e.startswith(want_file+' ')]
        if not m: loc_ok=False
        elif want_line and not re.match(re.escape(want_file)+r':\d+:\d+: error', m[0]): loc_ok=False
    status = 'ok ' if r.returncode==1 and same and loc_ok else 'BAD'
    return (status, name, r.returncode, same, errs, without, with_pos)
# The cases run side by side, one per core; the report keeps their order.
with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
    results=list(pool.map(run, range(len(cases)), cases))
bad=0; with_pos=0; without=[]
for status, name, code, same, errs, wo, wp in results:
    with_pos+=wp; without+=wo
    if status=='HANG':
        print('HANG', name); bad+=1; continue
    if status=='BAD': bad+=1
    if status=='BAD' or '-v' in sys.argv:
        print(status, f'{name:28}', code, 'public same' if same else 'PUBLIC CHANGED', '|', errs[:2])
print(len(cases),'cases,',bad,'bad')
print(with_pos+len(without),'diagnostics,',with_pos,'with line and column,',len(without),'without:')
for name, l in without:
    print(f'  {name:28} {l[:150]}')
shutil.rmtree(work, ignore_errors=True)
sys.exit(1 if bad else 0)
