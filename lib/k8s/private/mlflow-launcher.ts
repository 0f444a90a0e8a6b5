/**
 * The launcher the MLflow server container runs (`python3 /opt/mlflow-launcher/launcher.py`),
 * mounted from a ConfigMap. Written for this library; it uses only what the pinned
 * `ghcr.io/mlflow/mlflow:<version>-full` image contains (Python 3.11, psycopg2, boto3, mlflow).
 *
 * At start it:
 * 1. reads the database user and password: from AWS Secrets Manager (the RDS-managed master user
 *    secret, a JSON `{"username", "password"}`, through the pod's EKS Pod Identity) or from the
 *    environment (a Kubernetes Secret);
 * 2. creates the basic-auth database when missing (MLflow's auth store and tracking store both
 *    keep their Alembic revision in `alembic_version`, so they cannot share one database);
 * 3. upgrades an existing tracking schema (`mlflow db upgrade`): the server refuses to start on an
 *    out-of-date schema after an image bump, and a fresh database is initialised by the server;
 * 4. writes the basic-auth configuration (`MLFLOW_AUTH_CONFIG_PATH`, `configparser` syntax, so
 *    `%` is doubled) with the admin user from the environment;
 * 5. sets `MLFLOW_BACKEND_STORE_URI` (the `--backend-store-uri` environment variable, so the
 *    password never appears in the process arguments) and execs `mlflow server` with its own
 *    arguments.
 *
 * `--check` (the liveness probe) exits 1 when the Secrets Manager secret has a new version since
 * start: RDS rotates the managed master password (every 7 days by default), and a restart makes
 * the launcher read the new one. It exits 0 when Secrets Manager cannot be reached (no evidence
 * of a rotation) and with credentials from the environment.
 */
export const MLFLOW_LAUNCHER_PY = `"""cdktf-ai-infra MLflow server launcher (see lib/k8s/private/mlflow-launcher.ts)."""
import configparser
import json
import os
import subprocess
import sys
import urllib.parse

STATE_DIR = "/tmp/mlflow"
VERSION_FILE = os.path.join(STATE_DIR, "secret-version")
AUTH_INI = os.path.join(STATE_DIR, "basic_auth.ini")


def read_credentials():
    source = os.environ["MLFLOW_DB_CREDENTIALS"]
    if source == "aws-secrets-manager":
        import boto3

        client = boto3.client("secretsmanager", region_name=os.environ["MLFLOW_DB_SECRET_REGION"])
        reply = client.get_secret_value(SecretId=os.environ["MLFLOW_DB_SECRET_ARN"])
        secret = json.loads(reply["SecretString"])
        return secret["username"], secret["password"], reply["VersionId"]
    if source == "environment":
        return os.environ["MLFLOW_DB_USERNAME"], os.environ["MLFLOW_DB_PASSWORD"], ""
    raise SystemExit("unknown MLFLOW_DB_CREDENTIALS: " + source)


def database_uri(user, password, database):
    return "postgresql+psycopg2://%s:%s@%s:%s/%s?sslmode=%s" % (
        urllib.parse.quote(user, safe=""),
        urllib.parse.quote(password, safe=""),
        os.environ["MLFLOW_DB_HOST"],
        os.environ["MLFLOW_DB_PORT"],
        database,
        os.environ.get("MLFLOW_DB_SSLMODE", "require"),
    )


def connect(user, password, database):
    import psycopg2

    return psycopg2.connect(
        host=os.environ["MLFLOW_DB_HOST"],
        port=int(os.environ["MLFLOW_DB_PORT"]),
        dbname=database,
        user=user,
        password=password,
        sslmode=os.environ.get("MLFLOW_DB_SSLMODE", "require"),
        connect_timeout=10,
    )


def prepare(user, password):
    import psycopg2

    tracking_db = os.environ["MLFLOW_DB_NAME"]
    auth_db = os.environ["MLFLOW_AUTH_DB_NAME"]
    conn = connect(user, password, tracking_db)
    conn.autocommit = True
    try:
        cur = conn.cursor()
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (auth_db,))
        if cur.fetchone() is None:
            try:
                cur.execute('CREATE DATABASE "%s"' % auth_db.replace('"', '""'))
            except psycopg2.errors.DuplicateDatabase:
                pass
        cur.execute("SELECT to_regclass('public.alembic_version')")
        initialised = cur.fetchone()[0] is not None
    finally:
        conn.close()
    if initialised:
        subprocess.run(["mlflow", "db", "upgrade", database_uri(user, password, tracking_db)], check=True)


def write_auth_config(user, password):
    config = configparser.ConfigParser(interpolation=None)
    config["mlflow"] = {
        "default_permission": os.environ["MLFLOW_AUTH_DEFAULT_PERMISSION"],
        "database_uri": database_uri(user, password, os.environ["MLFLOW_AUTH_DB_NAME"]).replace("%", "%%"),
        "admin_username": os.environ["MLFLOW_AUTH_ADMIN_USERNAME"].replace("%", "%%"),
        "admin_password": os.environ["MLFLOW_AUTH_ADMIN_PASSWORD"].replace("%", "%%"),
        "authorization_function": "mlflow.server.auth:authenticate_request_basic_auth",
    }
    fd = os.open(AUTH_INI, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        config.write(f)


def check():
    if os.environ["MLFLOW_DB_CREDENTIALS"] != "aws-secrets-manager":
        return 0
    with open(VERSION_FILE) as f:
        started_with = f.read().strip()
    try:
        current = read_credentials()[2]
    except Exception as error:  # Secrets Manager unreachable: no evidence of a rotation.
        print("rotation check skipped: %s" % error, file=sys.stderr)
        return 0
    return 0 if current == started_with else 1


def main():
    if sys.argv[1:2] == ["--check"]:
        sys.exit(check())
    os.makedirs(STATE_DIR, mode=0o700, exist_ok=True)
    user, password, version = read_credentials()
    with open(VERSION_FILE, "w") as f:
        f.write(version)
    prepare(user, password)
    if os.environ.get("MLFLOW_AUTH_ADMIN_USERNAME"):
        write_auth_config(user, password)
        os.environ["MLFLOW_AUTH_CONFIG_PATH"] = AUTH_INI
    os.environ["MLFLOW_BACKEND_STORE_URI"] = database_uri(user, password, os.environ["MLFLOW_DB_NAME"])
    for name in ("MLFLOW_DB_PASSWORD", "MLFLOW_AUTH_ADMIN_PASSWORD"):
        os.environ.pop(name, None)
    os.execvp("mlflow", ["mlflow", "server"] + sys.argv[1:])


if __name__ == "__main__":
    main()
`;
