"""Settings for chibo, read from the environment.

Without any environment a fresh clone just runs: SQLite in ./data, mail printed to the console.
Production sets DATABASE_URL, SECRET_KEY, ALLOWED_HOSTS and the EMAIL_* variables.
"""

import hashlib
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from chibo.lib.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("CHIBO_DATA_DIR", str(Path.cwd() / "data")))


def _secret_key() -> str:
    """The key from the environment, or one kept in the data folder so sessions survive restarts."""
    if key := env_str("SECRET_KEY"):
        return key
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])


def _proxy_ssl_header(name: str) -> tuple[str, str] | None:
    """The header by which the reverse proxy says a request came over HTTPS ("" for none).
    Trust it only behind a proxy that sets it on every request: a client could send it too."""
    if not name:
        return None
    return ("HTTP_" + name.upper().replace("-", "_"), "https")


SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(env_str("SECURE_PROXY_SSL_HEADER", "X-Forwarded-Proto"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
# Browsers remember HSTS for this long: turn it on once HTTPS works, starting small.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# Scripts and styles come from chibo's own files only: an injected <script> or handler does not
# run, an injected style does not apply (the charts' styles are in a file too, charts.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

INSTALLED_APPS = [
    "chibo.orgs",
    "chibo.access",
    "chibo.supervision",
    "chibo.meetings",
    "chibo.guidance",
    "chibo.library",
    "chibo.voices",
    "chibo.notify",
    "chibo.quality",
    "chibo.signin",
    "chibo.audit",
    "chibo.backups",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # After WhiteNoise, which sends its files compressed already (decision record 20).
    "chibo.lib.compression.CompressionMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "chibo.signin.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that it answers a locked-out sign-in whichever form was posted (ours, the admin's).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "chibo.urls"
WSGI_APPLICATION = "chibo.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "chibo.context_processors.languages",
                "chibo.context_processors.scope",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'chibo.sqlite3'}"), conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server read while the worker writes; IMMEDIATE avoids lock upgrades
    # failing half-way through a transaction. Connections stay open between requests, as on
    # PostgreSQL: opening one and setting it up cost 2 ms of every page. A search reads the
    # rows of its matches all over the file: mapped into memory, and with 64 MB of pages kept
    # by each connection instead of 2, it took half the time (decision record 27).
    DATABASES["default"]["OPTIONS"] = {
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            "PRAGMA mmap_size=1073741824; PRAGMA cache_size=-65536;"
        ),
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
else:
    # Pages ask small questions; compiling a plan to machine code (on by default when the
    # planner thinks a query is costly, as before statistics exist) cost 18 ms on a 1 ms query.
    # A search for a common phrase maps hundreds of thousands of matches: in the default 4 MB
    # of working memory the map is kept by page, and every entry of each page is read and
    # matched again (decision record 27).
    _work_mem = env_str("CHIBO_PG_WORK_MEM", "64MB")
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options", f"-c jit=off -c work_mem={_work_mem}"
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _cache(url: str) -> dict:
    """The cache every process of the installation shares (sessions, versions, dashboards):
    files in the data folder on one machine; Redis (`redis://host:6379/0`) for several."""
    if url.startswith(("redis://", "rediss://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url == "locmem://":  # one process only: tests, or a single-process server
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url.startswith("file://"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.removeprefix("file://"),
            # Culling walks the folder: rare with room for every session and dashboard.
            "OPTIONS": {"MAX_ENTRIES": 200_000},
        }
    raise ImproperlyConfigured(
        f"CHIBO_CACHE_URL must start with redis://, rediss://, file:// or be locmem://, not {url!r}"
    )


CACHES = {"default": _cache(env_str("CHIBO_CACHE_URL", f"file://{DATA_DIR / 'cache'}"))}
# Named after the database, so that one cache serving two databases never mixes them up.
_where = [str(DATABASES["default"].get(part)) for part in ("ENGINE", "HOST", "PORT", "NAME")]
CACHES["default"]["KEY_PREFIX"] = hashlib.sha256(" ".join(_where).encode()).hexdigest()[:12]
# Sessions read from the shared cache, written through to the database.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "orgs.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# Django's rules, worded by chibo: long enough, not the account's own words, not common, not
# only digits ("Nguyen123" fails two of them).
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "chibo.signin.passwords.UserAttributeSimilarityValidator"},
    {
        "NAME": "chibo.signin.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": env_int("CHIBO_PASSWORD_MIN_LENGTH", 12)},
    },
    {"NAME": "chibo.signin.passwords.CommonPasswordValidator"},
    {"NAME": "chibo.signin.passwords.NumericPasswordValidator"},
]
# Axes counts failed sign-ins first; a locked-out account or address never reaches the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Failed sign-ins: after this many in a row for one account, or from one address, the next are
# refused for the cool-off, and the page says how long is left.
AXES_FAILURE_LIMIT = env_int("CHIBO_SIGNIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("CHIBO_SIGNIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Axes keeps the failures it counts; successful sign-ins are the audit log's to keep, once.
AXES_DISABLE_ACCESS_LOG = True
# Tries while locked out do not start the wait again, so the minutes shown come true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_HANDLER = "chibo.signin.handlers.LoggedDatabaseHandler"
AXES_LOCKOUT_CALLABLE = "chibo.signin.views.locked_out"
AXES_CLIENT_IP_CALLABLE = "chibo.signin.addresses.client_address"
# Behind a reverse proxy, the header it writes the client's address into (e.g. X-Real-IP, or
# X-Forwarded-For, whose last address is the one the proxy saw); empty: the connection's own.
CHIBO_CLIENT_IP_HEADER = env_str("CHIBO_CLIENT_IP_HEADER")
# Sessions: members stay signed in for weeks on their own phone; those who see other members'
# personal data (`Scope.needs_second_factor`) for a working day, and never past the browser.
SESSION_COOKIE_AGE = env_int("CHIBO_SESSION_DAYS", 14) * 24 * 60 * 60
CHIBO_OFFICE_SESSION_HOURS = env_int("CHIBO_OFFICE_SESSION_HOURS", 8)
# The name authenticator apps show next to the code.
OTP_TOTP_ISSUER = env_str("CHIBO_OTP_ISSUER", "chibo")

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "vi")
# Each language is named in itself, as language pickers do, so anyone can find their own.
LANGUAGES = [("vi", "Tiếng Việt"), ("km", "ភាសាខ្មែរ"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("TIME_ZONE", "Asia/Ho_Chi_Minh")
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "chibo.lib.staticfiles.CompressedOnceStorage"},
}
# WhiteNoise serves the collected files with their compressed copies (`chibo serve` collects
# them at start); found in the apps instead, they would go uncompressed (decision record 20).
WHITENOISE_USE_FINDERS = False
# The fonts are the PDFs', never a browser's: compressing them took most of the first start.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = [*Compressor.SKIP_COMPRESS_EXTENSIONS, "ttf"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))

EMAIL_HOST = env_str("EMAIL_HOST")
EMAIL_PORT = env_int("EMAIL_PORT", 587)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", EMAIL_PORT == 587)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", EMAIL_PORT == 465)
EMAIL_TIMEOUT = 20
# Without a mail server nothing is sent, and nothing of a message is written anywhere: a
# password-reset link in a log would open the account to whoever reads the log.
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend" if EMAIL_HOST else "chibo.lib.mail.UnsentBackend"
)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "chibo <noreply@localhost>")

TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Spreadsheets larger than this are refused before they are read.
CHIBO_IMPORT_MAX_BYTES = env_int("CHIBO_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# Django's own cap on a request body, raised to let the import form say "too big" itself.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PAGE_SIZE = env_int("CHIBO_PAGE_SIZE", 50)
# A search counts each kind of result up to this many ("1,000+" beyond), and pages through at
# most this many (decision record 22).
CHIBO_SEARCH_CAP = env_int("CHIBO_SEARCH_CAP", 1000)
# A user reaching at most this many cells (a ward's committee, a member) has every match of a
# search listed at once, found within their reach (decision records 26 and 29); one reaching
# more has each kind counted up to the cap and a page read tier by tier (decision record 28).
CHIBO_SEARCH_NARROW_CELLS = env_int("CHIBO_SEARCH_NARROW_CELLS", 100)
# A voices summary whose subtree holds more voices in its twelve months than this has its
# places and recurring matters counted in the background (decision record 24).
CHIBO_VOICES_COUNTED_AT_ONCE = env_int("CHIBO_VOICES_COUNTED_AT_ONCE", 5000)

# The numbers of the official guidance (DOMAIN.md): defaults that an installation may change.
CHIBO_RULES = {
    # Rule 3: the shortest meeting, and when regular and thematic share a session.
    "meeting_minutes": env_int("CHIBO_MEETING_MINUTES", 90),
    "combined_meeting_minutes": env_int("CHIBO_COMBINED_MEETING_MINUTES", 120),
    # Rule 5: documents reach members at least this many days before the meeting.
    "notice_lead_days": env_int("CHIBO_NOTICE_LEAD_DAYS", 1),
    # Rule 5's good practice (Hà Nội): next month's meeting planned by this day of the month.
    "plan_by_day": env_int("CHIBO_PLAN_BY_DAY", 20),
    # Rule 10: the finished resolution reaches members within this many days.
    "resolution_publish_days": env_int("CHIBO_RESOLUTION_PUBLISH_DAYS", 2),
    # Rule 6: self-criticism and criticism take 15 to 30 minutes.
    "self_criticism_minutes": (15, 30),
}
# Rules 6 and 7: the minutes each official step takes in a 90-minute meeting; the guide fits
# them to a meeting's planned length (`chibo.meetings.guide`).
CHIBO_STEP_MINUTES = {
    "opening": 10,
    "assessment": 15,
    "situation": 20,
    "next_tasks": 10,
    "discussion": 15,
    "conclusion": 5,
    "vote": 5,
    "scoring": 5,
    "minutes": 5,
    "purpose": 5,
    "presentation": 25,
    "theme_discussion": 40,
    "theme_conclusion": 10,
}
# Rules 11 and 12: a meeting's criteria with their weights (out of 100), the attendance bands
# (from this share of members present, the lowest and highest points) and the grades' floors.
CHIBO_MEETING_CRITERIA = {
    "duration": 5,
    "attendance": 5,
    "preparation": 10,
    "conduct": 40,
    "principles": 5,
    "results": 30,
    "closing": 5,
}
CHIBO_ATTENDANCE_BANDS = [(0.90, 4, 5), (0.75, 3, 3), (0.65, 2, 2), (0.0, 1, 1)]
CHIBO_GRADE_FLOORS = {"good": 90, "fair": 70, "average": 50}
# Formalism: minutes or a resolution at least this alike (0–1) to those of one of the cell's
# last `look_back` meetings are copies; an agenda repeating that many of its kind never changes.
CHIBO_FORMALISM = {"similarity": 0.9, "look_back": 3}
# Rules 18–20: the yearly evaluation of members and organisations.
CHIBO_EVALUATION = {
    # Rule 18: the lowest score of each grade above "not completed".
    "floors": {"excellent": 90, "good": 70, "completed": 50},
    # Rule 18: excellent needs this share of tasks done beyond what was asked; below this
    # share of tasks done at all, the grade is "not completed".
    "exceeding_percent": 30,
    "done_percent": 50,
    # Rule 19: excellent members, as a share of those rated good, per grassroots organisation.
    "quota_percent": 20,
    # Rule 20: the weight of each part of a cell's score.
    "cell_weights": {"meetings": 40, "regular": 20, "tasks": 20, "members": 20},
}
# The audit log's key (rule 21): set it in production, kept apart from the database and its
# backups; without it one is made in the data folder (`audit_key`, readable by its owner only).
CHIBO_AUDIT_KEY = env_str("CHIBO_AUDIT_KEY")
# The last entry `chibo audit verify` found sound, kept outside the database like the key.
CHIBO_AUDIT_CHECKPOINT = Path(env_str("CHIBO_AUDIT_CHECKPOINT", str(DATA_DIR / "audit_verified")))
# The key that signs Web Push messages (VAPID), made there on first use; keep it with the
# backups of the data folder: a new key silences every phone until its owner turns push on again.
CHIBO_VAPID_KEY_FILE = Path(env_str("CHIBO_VAPID_KEY_FILE", str(DATA_DIR / "vapid_key.pem")))
# The address people use, for links in e-mails and calendar events.
CHIBO_SITE_URL = env_str("CHIBO_SITE_URL", "http://127.0.0.1:8000")
# `chibo serve` runs `chibo remind` every hour, and sends the daily digests at this local hour.
CHIBO_DIGEST_HOUR = env_int("CHIBO_DIGEST_HOUR", 6)
# Largest file a secretary may attach to an agenda item.
CHIBO_DOCUMENT_MAX_BYTES = env_int("CHIBO_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024)
# A meeting opens from this many hours before its start until this many hours after it.
CHIBO_OPEN_WINDOW = {
    "before": env_int("CHIBO_OPEN_BEFORE_HOURS", 2),
    "after": env_int("CHIBO_OPEN_AFTER_HOURS", 24),
}
# The years any date typed into chibo may fall in (meetings, rounds, deadlines, series).
CHIBO_YEARS = (env_int("CHIBO_FIRST_YEAR", 2000), env_int("CHIBO_LAST_YEAR", 2100))
# Rule 15: calendar days to a voice's first answer and to its resolution (decision 15); a
# category may set its own; urgent voices get the shorter of the category's and these.
CHIBO_VOICE_DAYS = {
    "answer": env_int("CHIBO_VOICE_ANSWER_DAYS", 7),
    "resolve": env_int("CHIBO_VOICE_RESOLVE_DAYS", 30),
    "urgent_answer": env_int("CHIBO_VOICE_URGENT_ANSWER_DAYS", 2),
    "urgent_resolve": env_int("CHIBO_VOICE_URGENT_RESOLVE_DAYS", 10),
}
# The public door: how many voices, and how many look-ups of a tracking code, one address may
# make in an hour.
CHIBO_DOOR_LIMITS = {
    "voices": env_int("CHIBO_DOOR_VOICES_PER_HOUR", 5),
    "lookups": env_int("CHIBO_DOOR_LOOKUPS_PER_HOUR", 30),
    # Answers and statements to consultations: a dozen statements, a few times over.
    "consult": env_int("CHIBO_DOOR_CONSULT_PER_HOUR", 60),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    "loggers": {
        # Every sign-in event (failures, lockouts, second factors) is kept, whatever the level;
        # the audit log keeps them too, chained.
        "chibo.signin": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}
