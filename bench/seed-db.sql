-- TechEmpower's database tables for the benchmark's /db, /queries, /fortunes and /updates:
-- World (10,000 rows, id 1..10000, randomNumber 1..10000) and Fortune (the 12 standard rows).
-- Unquoted names as TechEmpower's create-postgres.sql has them, so PostgreSQL folds them to
-- world, fortune, randomnumber.
--
-- Idempotent: run it again and it changes nothing on tables already right. A table that exists
-- is brought to TechEmpower's rows (missing World ids added, ids out of range removed, fortune
-- texts set), not dropped, so the random numbers already there stay. Run by bench/seed-db.sh.

CREATE TABLE IF NOT EXISTS World (
  id integer NOT NULL,
  randomNumber integer NOT NULL DEFAULT 0,
  PRIMARY KEY (id)
);

CREATE TABLE IF NOT EXISTS Fortune (
  id integer NOT NULL,
  message varchar(2048) NOT NULL,
  PRIMARY KEY (id)
);

BEGIN;

DELETE FROM World WHERE id < 1 OR id > 10000;
-- random() is in [0, 1): 1 + floor(random() * 10000) is in 1..10000.
INSERT INTO World (id, randomNumber)
  SELECT i, 1 + floor(random() * 10000)::integer FROM generate_series(1, 10000) AS ids(i)
  ON CONFLICT (id) DO NOTHING;
UPDATE World SET randomNumber = 1 + floor(random() * 10000)::integer
  WHERE randomNumber < 1 OR randomNumber > 10000;

DELETE FROM Fortune WHERE id < 1 OR id > 12;
INSERT INTO Fortune (id, message) VALUES
  (1, 'fortune: No such file or directory'),
  (2, 'A computer scientist is someone who fixes things that aren''t broken.'),
  (3, 'After enough decimal places, nobody gives a damn.'),
  (4, 'A bad random number generator: 1, 1, 1, 1, 1, 4.33e+67, 1, 1, 1'),
  (5, 'A computer program does what you tell it to do, not what you want it to do.'),
  (6, 'Emacs is a nice operating system, but I prefer UNIX. — Tom Christaensen'),
  (7, 'Any program that runs right is obsolete.'),
  (8, 'A list is only as strong as its weakest link. — Donald Knuth'),
  (9, 'Feature: A bug with seniority.'),
  (10, 'Computers make very fast, very accurate mistakes.'),
  (11, '<script>alert("This should not be displayed in a browser alert box.");</script>'),
  (12, 'フレームワークのベンチマーク')
  ON CONFLICT (id) DO UPDATE SET message = EXCLUDED.message
  WHERE Fortune.message IS DISTINCT FROM EXCLUDED.message;

COMMIT;

-- Roles other than the owner may serve the benchmark too.
GRANT SELECT, UPDATE ON World TO PUBLIC;
GRANT SELECT ON Fortune TO PUBLIC;

ANALYZE World;
ANALYZE Fortune;
