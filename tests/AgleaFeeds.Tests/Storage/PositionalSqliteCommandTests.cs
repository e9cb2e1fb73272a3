using AgleaFeeds.Storage;
using Microsoft.Data.Sqlite;

namespace AgleaFeeds.Tests.Storage;

/// <summary>
/// The write path's positional binding stores exactly what Microsoft.Data.Sqlite's named binding stores, and leaves
/// to it whatever it does not do the same way (a busy database, other statements, other value types, its errors).
/// Real SQLite files in a temp folder.
/// </summary>
public sealed class PositionalSqliteCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("agleafeeds-positional-").FullName;

    private SqliteConnection Open(string name = "t.db")
    {
        var connection = new SqliteConnection($"Data Source={Path.Combine(_folder, name)};Pooling=false;Default Timeout=30");
        connection.Open();
        return connection;
    }

    private static void Exec(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    private static PositionalSqliteCommand Insert(SqliteConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = new PositionalSqliteCommand(connection) { CommandText = sql };
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }

    public static TheoryData<object?> Values() => new()
    {
        null, 0L, long.MinValue, long.MaxValue, 42, (short)-7, (byte)255, true, false, 3.25, 1.5f, string.Empty, "plain",
        "Jack Ma’s “advice” – 失敗から学ぶ 🙂👍🏽 é (e\u0301)", "lone \ud800 surrogate", "nul\0inside", new byte[] { 0, 1, 2, 255 }, Array.Empty<byte>(),
    };

    [Theory]
    [MemberData(nameof(Values))]
    public void AValue_IsStoredAsMicrosoftDataSqliteStoresIt(object? value)
    {
        using var connection = Open();
        Exec(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, v)");
        using (var named = connection.CreateCommand())
        {
            named.CommandText = "INSERT INTO t (id, v) VALUES (1, @v)";
            named.Parameters.AddWithValue("@v", value ?? DBNull.Value);
            named.ExecuteNonQuery();
        }

        using var positional = Insert(connection, "INSERT INTO t (id, v) VALUES (2, @v)", ("@v", value));
        Assert.Equal(1, positional.ExecuteNonQuery());
        Assert.Equal(1, positional.FastExecutions);

        using var compare = connection.CreateCommand();
        compare.CommandText = "SELECT typeof(v), quote(v), length(CAST(v AS BLOB)) FROM t ORDER BY id";
        using var reader = compare.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add($"{reader.GetString(0)} {reader.GetValue(1)} {reader.GetValue(2)}");
        }

        Assert.Equal(2, rows.Count);
        Assert.Equal(rows[0], rows[1]);
    }

    [Fact]
    public void OneStatement_RunManyTimes_BindsEachRowsValues_AndCountsChanges()
    {
        using var connection = Open();
        Exec(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, n INTEGER, at INTEGER)");
        using var insert = Insert(connection, "INSERT INTO t (k, n, at) VALUES (@k, @n, @at) ON CONFLICT (k) DO NOTHING", ("@k", null), ("@n", null), ("@at", null));
        using var tx = connection.BeginTransaction();
        insert.Transaction = tx;
        var changes = new List<int>();
        foreach (var (k, n) in new[] { ("a", 1L), ("b", 2L), ("a", 3L), ("c", 4L) })
        {
            (insert.Parameters[0].Value, insert.Parameters[1].Value, insert.Parameters[2].Value) = (k, n, n * 10);
            changes.Add(insert.ExecuteNonQuery());
        }

        tx.Commit();
        Assert.Equal([1, 1, 0, 1], changes);
        Assert.Equal(4, insert.FastExecutions);
        using var update = Insert(connection, "UPDATE t SET n = n + @d WHERE n >= @min", ("@d", 100L), ("@min", 2L));
        Assert.Equal(2, update.ExecuteNonQuery());
        Assert.Equal("a=1@10,b=102@20,c=104@40", Scalar(connection, "SELECT group_concat(k || '=' || n || '@' || at, ',') FROM (SELECT * FROM t ORDER BY id)"));
    }

    [Fact]
    public void AParameterTheStatementDoesNotName_IsLeftOut_AsMicrosoftDataSqliteLeavesIt()
    {
        using var connection = Open();
        Exec(connection, "CREATE TABLE t (a, b)");
        using var insert = Insert(connection, "INSERT INTO t (a, b) VALUES (@a, @b)", ("@id", 9L), ("@a", "x"), ("@unused", "y"), ("@b", 2L));
        Assert.Equal(1, insert.ExecuteNonQuery());
        Assert.Equal(1, insert.FastExecutions);
        Assert.Equal("x2", Scalar(connection, "SELECT a || b FROM t"));
    }

    [Fact]
    public void AConstraintFailure_IsMicrosoftDataSqlitesException_AndTheStatementRunsAgainAfterIt()
    {
        using var connection = Open();
        Exec(connection, "CREATE TABLE t (k TEXT PRIMARY KEY, n INTEGER NOT NULL)");
        using var insert = Insert(connection, "INSERT INTO t (k, n) VALUES (@k, @n)", ("@k", "a"), ("@n", 1L));
        insert.ExecuteNonQuery();
        var duplicate = Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery());
        Assert.Equal(19, duplicate.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Contains("UNIQUE constraint failed: t.k", duplicate.Message, StringComparison.Ordinal);
        insert.Parameters[1].Value = DBNull.Value;
        insert.Parameters[0].Value = "b";
        Assert.Contains("NOT NULL constraint failed", Assert.Throws<SqliteException>(() => insert.ExecuteNonQuery()).Message, StringComparison.Ordinal);
        insert.Parameters[1].Value = 2L;
        Assert.Equal(1, insert.ExecuteNonQuery());
        Assert.Equal(2, insert.FastExecutions);
    }

    [Fact]
    public async Task ADatabaseAnotherConnectionHolds_IsWaitedForAsMicrosoftDataSqliteWaits()
    {
        using var connection = Open();
        Exec(connection, "PRAGMA journal_mode=WAL; CREATE TABLE t (n INTEGER)");
        using var other = Open();
        Exec(other, "BEGIN IMMEDIATE; INSERT INTO t VALUES (1)");
        using var insert = Insert(connection, "INSERT INTO t VALUES (@n)", ("@n", 2L));
        var release = Task.Run(async () =>
        {
            await Task.Delay(400);
            Exec(other, "COMMIT");
        });
        Assert.Equal(1, insert.ExecuteNonQuery());
        await release;
        Assert.Equal(0, insert.FastExecutions); // the busy database went through Microsoft.Data.Sqlite's waiting
        Assert.Equal(1, insert.ExecuteNonQuery());
        Assert.Equal(1, insert.FastExecutions);
        Assert.Equal("1,2,2", Scalar(connection, "SELECT group_concat(n) FROM t"));
    }

    [Fact]
    public void WhatTheFastPathDoesNotDo_RunsThroughMicrosoftDataSqlite()
    {
        using var connection = Open();
        Exec(connection, "CREATE TABLE t (id INTEGER PRIMARY KEY, v)");
        var cases = new (string Sql, (string, object?)[] Parameters)[]
        {
            ("INSERT INTO t (v) VALUES (@v) RETURNING id", [("@v", 1L)]),                        // result columns
            ("INSERT INTO t (v) VALUES (@v); INSERT INTO t (v) VALUES (@v)", [("@v", 2L)]),       // two statements
            ("INSERT INTO t (v) VALUES (@v)", [("@v", new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc))]), // a value converted by Microsoft.Data.Sqlite
        };
        foreach (var (sql, parameters) in cases)
        {
            using var command = Insert(connection, sql, parameters);
            Assert.True(command.ExecuteNonQuery() >= 1, sql);
            Assert.Equal(0, command.FastExecutions);
        }

        Assert.Equal("1|2|2|2026-12-01 00:00:00", Scalar(connection, "SELECT group_concat(v, '|') FROM (SELECT v FROM t ORDER BY id)"));

        // Two values for one parameter, and a statement parameter without a value: Microsoft.Data.Sqlite's errors, not a silent choice or NULL.
        using var twice = Insert(connection, "INSERT INTO t (v) VALUES (@v)", ("@v", 3L), ("@v", 4L));
        Assert.Throws<InvalidOperationException>(() => twice.ExecuteNonQuery());
        using var unbound = Insert(connection, "INSERT INTO t (v) VALUES (@v + @w)", ("@v", 1L));
        Assert.Contains("@w", Assert.Throws<InvalidOperationException>(() => unbound.ExecuteNonQuery()).Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }
}
