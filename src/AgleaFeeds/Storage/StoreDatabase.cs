using System.Data.Common;
using System.Runtime.CompilerServices;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace AgleaFeeds.Storage;

/// <summary>
/// The database under the store: how to open a connection and migrate, and the few pieces of SQL that differ
/// between SQLite and PostgreSQL, side by side. Every other statement of the store is the same text on both.
/// </summary>
public abstract class StoreDatabase
{
    /// <summary>"Sqlite" or "PostgreSql".</summary>
    public abstract string Provider { get; }

    /// <summary>Opens a connection ready for use.</summary>
    public abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Applies the numbered migrations of this dialect not yet applied, once even when several hosts start together.</summary>
    public abstract Task MigrateAsync(CancellationToken ct);

    /// <summary>Equality where NULL equals NULL.</summary>
    public abstract string NullSafeEquals(string a, string b);

    /// <summary>Inequality where NULL equals NULL.</summary>
    public abstract string NullSafeDiffers(string a, string b);

    /// <summary>A unique key of a column and a text compared without case (the trust and block lists): the conflict target of an upsert.</summary>
    public abstract string NoCaseKey(string column, string text);

    /// <summary>The larger of two values.</summary>
    public abstract string Greatest(string a, string b);

    /// <summary>The ids of a JSON array parameter ("[1,2,3]") as a subquery, for <c>id IN (…)</c>.</summary>
    public abstract string IdsOf(string parameter);

    /// <summary>
    /// The JSON array of ids that <see cref="IdsOf"/> reads. Written directly: serializing a list of numbers through
    /// System.Text.Json first builds its reflection metadata, 30 ms of a poll-once's start for one array.
    /// </summary>
    public static string IdArray(IEnumerable<long> ids) =>
        "[" + string.Join(',', ids.Select(id => id.ToString(System.Globalization.CultureInfo.InvariantCulture))) + "]";

    /// <summary>
    /// What ends an INSERT whose new row's id <see cref="InsertedId"/> reads: PostgreSQL returns it; SQLite needs
    /// nothing (a RETURNING clause is a trigger there: it cost a first sync a third of its storing time).
    /// </summary>
    public abstract string ReturningId { get; }

    /// <summary>Runs an INSERT ending with <see cref="ReturningId"/>; returns the new row's id, or null when it inserted nothing (ON CONFLICT DO NOTHING).</summary>
    public virtual long? InsertedId(DbCommand insert)
    {
        ArgumentNullException.ThrowIfNull(insert);
        return insert.ExecuteScalar() is { } id and not DBNull ? Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture) : null;
    }

    /// <summary>Whether the write batch prepares its statements itself (Npgsql prepares the repeated ones on its own).</summary>
    public abstract bool PrepareStatements { get; }

    /// <summary>A command for a statement the write path prepares once and runs per row.</summary>
    public virtual DbCommand CreateRepeatedCommand(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.CreateCommand();
    }

    /// <summary>
    /// Whether the store keeps connections open with their statements prepared once: the writer's, and the polls' reads
    /// (SQLite, one writer anyway; PostgreSQL's pooled connections are not held, and Npgsql prepares repeated statements).
    /// </summary>
    public virtual bool KeepsConnectionsOpen => false;

    /// <summary>Begins a transaction that only reads: one snapshot for several statements, taking no write lock.</summary>
    public virtual ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return connection.BeginTransactionAsync(ct);
    }

    /// <summary>The store's creation (its first migration) as Unix milliseconds.</summary>
    public abstract string CreatedAtMs { get; }

    /// <summary>Whether a failed transaction may succeed when run again (a deadlock the database broke, a serialization failure).</summary>
    public virtual bool IsTransient(DbException exception) => false;

    /// <summary>
    /// How many write transactions of one process may run at once: one, on either database (SQLite has one writer;
    /// on PostgreSQL, writes of one host in parallel deadlock on shared rows more than they gain on two cores).
    /// </summary>
    public static int MaxWritersOf(StorageOptions options) => 1;

    /// <summary>Gets what ends a row-claiming subquery: rows another transaction is claiming are skipped, not waited for (SQLite has one writer).</summary>
    public abstract string SkipLocked { get; }

    /// <summary>The database the options name.</summary>
    public static StoreDatabase Create(StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.IsPostgreSql
            ? new PostgresDatabase(options.ConnectionString is { Length: > 0 } c ? c : throw new InvalidOperationException("Storage:ConnectionString is required with Storage:Provider PostgreSql (e.g. \"Host=127.0.0.1;Database=agleafeeds;Username=agleafeeds;Password=…\")."))
            : new SqliteDatabase(options.DatabasePath);
    }
}

/// <summary>The embedded default: one SQLite file in WAL mode (Microsoft.Data.Sqlite).</summary>
public sealed class SqliteDatabase(string path) : StoreDatabase
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public override string Provider => "Sqlite";

    /// <summary>
    /// Set on every connection (once per pooled handle: see <see cref="OpenAsync"/>). Foreign keys are enforced. In WAL
    /// mode synchronous=NORMAL keeps the database consistent after a crash and skips an fsync per commit (a power cut
    /// can only lose the last polls, which the next poll fetches again). The WAL is copied back into the database (a
    /// checkpoint, with its fsyncs) every 8,192 pages (32 MB) rather than SQLite's 1,000: a first sync writes hundreds
    /// of megabytes, and its storing took 18 % less (tests/AgleaFeeds.Benchmarks, `store`); the file is cut back to
    /// 64 MB after a checkpoint that empties it.
    /// </summary>
    public const string Pragmas = "PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=8192; PRAGMA journal_size_limit=67108864;";

    /// <summary>The database handles <see cref="Pragmas"/> were set on: a pooled connection keeps its handle and its settings.</summary>
    private static readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = [];

    /// <summary>
    /// Opens a pooled connection; the settings are sent when its handle is new. Sending them on every open (and
    /// Microsoft.Data.Sqlite's own "Foreign Keys" option does) parsed four statements per open: a poll where every
    /// feed answered 304 opens three connections per source, and SQLite's parser was a third of its CPU time.
    /// </summary>
    public override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct).ConfigureAwait(false);
        var handle = connection.Handle!;
        if (!Configured.TryGetValue(handle, out _))
        {
            try
            {
                await using var pragma = connection.CreateCommand();
                pragma.CommandText = Pragmas;
                await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
            catch
            {
                await connection.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            Configured.AddOrUpdate(handle, Configured);
        }

        return connection;
    }

    public override async Task MigrateAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var connection = (SqliteConnection)await OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync("PRAGMA journal_mode=WAL;").ConfigureAwait(false);
        await SqliteMigrations.ApplyAsync(connection, ct).ConfigureAwait(false);
    }

    public override string NullSafeEquals(string a, string b) => $"{a} IS {b}";

    public override string NullSafeDiffers(string a, string b) => $"{a} IS NOT {b}";

    public override string NoCaseKey(string column, string text) => $"{column}, {text}"; // the text column is COLLATE NOCASE

    public override string IdsOf(string parameter) => $"SELECT value FROM json_each({parameter})";

    public override string Greatest(string a, string b) => $"MAX({a}, {b})";

    public override bool PrepareStatements => true;

    /// <summary>Bound by position when it writes (<see cref="PositionalSqliteCommand"/>).</summary>
    public override DbCommand CreateRepeatedCommand(DbConnection connection) => new PositionalSqliteCommand((SqliteConnection)connection);

    public override string ReturningId => string.Empty;

    /// <summary>The statement's count of rows changed, then the connection's last inserted rowid (SQLite's own API; no RETURNING trigger).</summary>
    public override long? InsertedId(DbCommand insert)
    {
        ArgumentNullException.ThrowIfNull(insert);
        return insert.ExecuteNonQuery() > 0 ? SQLitePCL.raw.sqlite3_last_insert_rowid(((SqliteConnection)insert.Connection!).Handle) : null;
    }

    public override bool KeepsConnectionsOpen => true;

    /// <summary>A deferred transaction: Microsoft.Data.Sqlite's default is BEGIN IMMEDIATE, which takes the write lock and would hold every writer off.</summary>
    public override ValueTask<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        ValueTask.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override string SkipLocked => string.Empty;

    public override string CreatedAtMs => "(SELECT CAST(strftime('%s', MIN(applied_at)) AS INTEGER) * 1000 FROM schema_migrations)";
}

/// <summary>PostgreSQL through Npgsql: one data source (its own pool) per store.</summary>
public sealed class PostgresDatabase(string connectionString) : StoreDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source = CreateSource(connectionString);

    public override string Provider => "PostgreSql";

    /// <summary>
    /// The pool, with Npgsql's automatic preparation on unless the connection string sets it: the write path
    /// repeats the same few statements per post and comment, and a prepared statement skips parsing and planning.
    /// </summary>
    private static NpgsqlDataSource CreateSource(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 128;
            builder.AutoPrepareMinUsages = 2;
        }

        return NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _source.OpenConnectionAsync(ct).ConfigureAwait(false);

    public override async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await PostgresMigrations.ApplyAsync(connection, ct).ConfigureAwait(false);
    }

    public override string NullSafeEquals(string a, string b) => $"{a} IS NOT DISTINCT FROM {b}";

    public override string NullSafeDiffers(string a, string b) => $"{a} IS DISTINCT FROM {b}";

    public override string NoCaseKey(string column, string text) => $"{column}, lower({text})"; // the unique index author_rules_key

    public override string IdsOf(string parameter) => $"SELECT CAST(value AS BIGINT) FROM jsonb_array_elements_text(CAST({parameter} AS jsonb)) AS ids (value)";

    public override string Greatest(string a, string b) => $"GREATEST({a}, {b})";

    public override bool PrepareStatements => false;

    public override string ReturningId => "RETURNING id";

    public override string SkipLocked => "FOR UPDATE SKIP LOCKED";

    public override bool IsTransient(DbException exception) => exception is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure };

    public override string CreatedAtMs => "(SELECT MIN(applied_at_ms) FROM schema_migrations)";

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
