#!/bin/sh
# Writes the broker config (same settings as scripts/infra/kafka.sh), formats the KRaft storage
# once, then runs the broker in the foreground.
set -eu
# The classpath wildcard below is for Java to expand, not the shell.
set -f
conf=/tmp/kafka
mkdir -p "$conf" "$KAFKA_DATA"
cat >"$conf/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$KAFKA_LISTEN_HOST:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$KAFKA_ADVERTISED_HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$KAFKA_DATA
auto.create.topics.enable=false
num.partitions=1
default.replication.factor=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
PROPS
cat >"$conf/log4j2.properties" <<'PROPS'
rootLogger.level = warn
rootLogger.appenderRef.stdout.ref = STDOUT
logger.server.name = kafka.server.KafkaRaftServer
logger.server.level = info
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
PROPS
java="java -Xms128m -Xmx$KAFKA_HEAP -Djava.awt.headless=true -Dlog4j2.configurationFile=$conf/log4j2.properties -cp /opt/kafka/libs/*"
if [ ! -f "$KAFKA_DATA/meta.properties" ]; then
  cluster_id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=')"
  # --cluster-id=: an id may start with "-", which would read as an option.
  $java kafka.tools.StorageTool format --cluster-id="$cluster_id" -c "$conf/server.properties" --ignore-formatted >/dev/null
fi
exec $java -XX:+UseG1GC -XX:MaxGCPauseMillis=20 kafka.Kafka "$conf/server.properties"
